"""Contracts of the output tables (`pipeline.summarise.Tables`): the types, domains and sums that other tools
and the signed figures rely on.

Each schema names only the columns that carry a rule; the column lists themselves live with the code that
builds each table. A failure is a bug of this program, not of a submission: the run stops before anything
is written (`check_tables`, called where the tables are built).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.terms import (
    BELUM,
    DIHITUNG,
    JENIS_JABATAN,
    NOT_APPLICABLE_PPPK,
    STATUSES,
    STRUKTURAL,
    TERPENUHI,
    UNKNOWN_JENIS,
)
from schemas import NIP_PATTERN, is_text

ROUNDING = 0.005  # the tables round JP to 2 decimals: each rounded figure may be off by half a step


def _is_number(series: pd.Series) -> bool:
    return series.empty or (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series))


def _is_count(series: pd.Series) -> bool:
    return series.empty or pd.api.types.is_integer_dtype(series)


def jp() -> pa.Column:
    """A JP figure: a number, never negative, never empty."""
    return pa.Column(None, [pa.Check(_is_number, name="is_number"), pa.Check.ge(0)])


def count() -> pa.Column:
    """A number of people, sessions or forms: an integer, never negative."""
    return pa.Column(None, [pa.Check(_is_count, name="is_integer"), pa.Check.ge(0)])


def nip(unique: bool = True) -> pa.Column:
    """An employee's NIP, written as text (SPEC §8): 18 digits."""
    return pa.Column(
        None, [pa.Check(is_text, name="is_text"), pa.Check.str_matches(NIP_PATTERN)], unique=unique
    )


def giver() -> pa.Column:
    """A coach's or mentor's NIP as reported: text, one row each (a malformed one is only a Peringatan)."""
    return pa.Column(None, pa.Check(is_text, name="is_text"), unique=True)


def one_of(values: Any) -> pa.Column:
    return pa.Column(None, pa.Check.isin(list(values)))


def sums_to(parts: list[str] | slice, total: str, name: str) -> pa.Check:
    """A frame check: the columns `parts` (names, or a positional slice) add up to `total`."""

    def check(df: pd.DataFrame) -> pd.Series:
        part = df.iloc[:, parts] if isinstance(parts, slice) else df[parts]
        tolerance = ROUNDING * (part.shape[1] + 1) + 1e-9
        return (part.astype("float64").sum(axis=1) - df[total].astype("float64")).abs() <= tolerance

    return pa.Check(check, name=name)


def at_most(smaller: str, larger: str) -> pa.Check:
    return pa.Check(lambda df: df[smaller] <= df[larger], name=f"{smaller} <= {larger}")


STATUS_20JP = one_of([TERPENUHI, BELUM])
PERSON_SESSIONS = ["Sesi Coaching Dilaporkan", "Sesi Coaching Dihitung", "Sesi Mentoring Dilaporkan"]

REKAP_PEGAWAI = pa.DataFrameSchema(
    {
        "NIP": nip(),
        **{c: count() for c in [*PERSON_SESSIONS, "Sesi Mentoring Dihitung"]},
        **{
            c: jp()
            for c in ["JP Coaching", "JP Mentoring", "JP Pengembangan Lain", "JP Total", "Kekurangan JP"]
        },
        "Status 20 JP": STATUS_20JP,
    },
    checks=[
        sums_to(["JP Coaching", "JP Mentoring", "JP Pengembangan Lain"], "JP Total", "total_is_the_sum"),
        at_most("Sesi Coaching Dihitung", "Sesi Coaching Dilaporkan"),
        at_most("Sesi Mentoring Dihitung", "Sesi Mentoring Dilaporkan"),
        pa.Check(
            lambda df: df["Status 20 JP"].ne(TERPENUHI) | df["Kekurangan JP"].eq(0),
            name="met_means_not_short",
        ),
    ],
    name="Rekap Pegawai",
)

# Nama, Perangkat Daerah and the twelve months sit between NIP and Total (positions 3..14).
REKAP_BULANAN = pa.DataFrameSchema(
    {"NIP": nip(), "Total": jp()},
    checks=[
        pa.Check(lambda df: df.shape[1] == 16, name="twelve_months"),
        pa.Check(lambda df: (df.iloc[:, 3:15] >= 0).all(axis=None), name="months_not_negative"),
        sums_to(slice(3, 15), "Total", "total_is_the_sum_of_months"),
    ],
    name="Rekap Bulanan",
)

REKAP_OPD = pa.DataFrameSchema(
    {
        "Perangkat Daerah": pa.Column(None, pa.Check(is_text, name="is_text"), unique=True),
        **{c: count() for c in ["Jumlah Pegawai", "Pegawai Ikut Coaching/Mentoring", "Sesi Dihitung"]},
        "Memenuhi 20 JP": count(),
        "JP Total": jp(),
        "Persentase Memenuhi": pa.Column(None, pa.Check.in_range(0, 1)),
    },
    checks=[
        at_most("Memenuhi 20 JP", "Jumlah Pegawai"),
        at_most("Pegawai Ikut Coaching/Mentoring", "Jumlah Pegawai"),
    ],
    name="Rekap OPD",
)

DETAIL = pa.DataFrameSchema(
    {
        "ID": pa.Column(None, pa.Check(_is_count, name="is_integer"), unique=True),
        "Baris": count(),
        "Status": one_of(STATUSES),
        "JP": jp(),
    },
    checks=[pa.Check(lambda df: (df["JP"] == 0) | df["Status"].eq(DIHITUNG), name="jp_only_when_counted")],
    name="Detail Kegiatan",
)

EVALUASI_COACH = pa.DataFrameSchema(
    {
        "NIP Coach": giver(),
        **{c: count() for c in ["Jumlah Sesi", "Jumlah Evaluasi", "Sesi Tanpa Evaluasi"]},
        **{f"P{i}": pa.Column(None, pa.Check.in_range(1, 3), nullable=True) for i in range(1, 10)},
        "Rata-rata": pa.Column(None, pa.Check.in_range(1, 3), nullable=True),
    },
    checks=[at_most("Sesi Tanpa Evaluasi", "Jumlah Sesi")],
    name="Evaluasi Coach",
)

MENTOR_LEVELS = ["Sangat Mampu", "Mampu", "Kurang Mampu", "Tidak Mampu"]
PENILAIAN_MENTOR = pa.DataFrameSchema(
    {
        "NIP Mentor": giver(),
        **{c: count() for c in ["Jumlah Sesi", *MENTOR_LEVELS, "Jumlah Penilaian", "Mentee Tanpa Penilaian"]},
    },
    checks=[sums_to(MENTOR_LEVELS, "Jumlah Penilaian", "levels_sum_to_the_forms")],
    name="Penilaian Mentor",
)

SERTIFIKAT = pa.DataFrameSchema(
    {
        "No Sertifikat": pa.Column(None, pa.Check(is_text, name="is_text"), unique=True),
        "NIP": nip(unique=False),
        "Jumlah Sesi": pa.Column(None, [pa.Check(_is_count, name="is_integer"), pa.Check.ge(1)]),
        "JP": jp(),
    },
    name="Daftar Sertifikat",
)

# No, NIP, Nama, Perangkat Daerah, then the Kartu's seven JP columns, Total JP and Status 20 JP.
KARTU = pa.DataFrameSchema(
    {"No": count(), "NIP": nip(), "Total JP": jp(), "Status 20 JP": STATUS_20JP},
    checks=[
        pa.Check(lambda df: (df["No"].to_numpy() == range(1, len(df) + 1)).all(), name="numbered_from_1"),
        sums_to(slice(4, 11), "Total JP", "total_is_the_sum_of_the_kartu_columns"),
    ],
    name="Kartu Pengendalian 20 JP",
)

BELUM_20JP = pa.DataFrameSchema(
    {"NIP": nip(), "JP Total": jp(), "Kekurangan JP": jp()},
    name="Belum 20 JP",
)

INDIKATOR = pa.DataFrameSchema(
    {
        "NIP": nip(),
        "Jenis Jabatan": one_of([*JENIS_JABATAN, STRUKTURAL, UNKNOWN_JENIS]),
        "JP Total": jp(),
        "Nilai Indikator 20 JP": pa.Column(
            None,
            pa.Check(
                lambda s: s.map(lambda v: v == NOT_APPLICABLE_PPPK or pd.isna(v) or 0 <= float(v) <= 100),
                name="a_score_or_not_applicable",
            ),
            nullable=True,
        ),
    },
    name="Indikator",
)

CAPAIAN_OPD = pa.DataFrameSchema(
    {
        "Jumlah Pegawai": count(),
        "Memenuhi 20 JP": count(),
        "Persentase Memenuhi": pa.Column(None, pa.Check.in_range(0, 1)),
    },
    checks=[at_most("Memenuhi 20 JP", "Jumlah Pegawai")],
    name="Capaian OPD",
)

JP_DISTRIBUTION = pa.DataFrameSchema({"Jumlah Pegawai": count()}, name="Sebaran JP")
SESSIONS_PER_MONTH = pa.DataFrameSchema(
    {"Coaching": count(), "Mentoring": count()},
    checks=[pa.Check(lambda df: len(df) == 12, name="twelve_months")],
    name="Sesi per Bulan",
)

# Tables field -> its contract; a new table without one fails tests/test_rekap.py.
TABLE_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "rekap_pegawai": REKAP_PEGAWAI,
    "rekap_bulanan": REKAP_BULANAN,
    "rekap_opd": REKAP_OPD,
    "detail": DETAIL,
    "evaluasi_coach": EVALUASI_COACH,
    "penilaian_mentor": PENILAIAN_MENTOR,
    "sertifikat": SERTIFIKAT,
    "kartu": KARTU,
    "capaian_opd": CAPAIAN_OPD,
    "belum": BELUM_20JP,
    "indikator": INDIKATOR,
    "jp_distribution": JP_DISTRIBUTION,
    "sessions_per_month": SESSIONS_PER_MONTH,
}


class TableMismatch(ValueError):
    """Two output tables disagree on who the workforce is: a bug of this program."""


def check_tables(tables: Any) -> None:
    """Validate every output table against its contract, and the counts that tie them together."""
    for field, schema in TABLE_SCHEMAS.items():
        schema.validate(getattr(tables, field))
    people = len(tables.rekap_pegawai)
    for name, total in [
        ("Rekap Bulanan", len(tables.rekap_bulanan)),
        ("Kartu Pengendalian 20 JP", len(tables.kartu)),
        ("Indikator", len(tables.indikator)),
        ("Rekap OPD: Jumlah Pegawai", int(tables.rekap_opd["Jumlah Pegawai"].sum())),
        ("Sebaran JP: Jumlah Pegawai", int(tables.jp_distribution["Jumlah Pegawai"].sum())),
        ("Belum 20 JP + Memenuhi", len(tables.belum) + int(tables.rekap_opd["Memenuhi 20 JP"].sum())),
    ]:
        if total != people:
            raise TableMismatch(f"{name}: {total} pegawai, Rekap Pegawai {people}")
