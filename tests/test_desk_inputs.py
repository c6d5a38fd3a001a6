"""Inputs as an analyst's desk produces them (issue 25): numbers as a clerk types them, one number or none; file names that would share an output name."""

import datetime as dt

import pandas as pd
import pytest
from helpers import A, by_nip, rekap, sheet_rows, submission

from pipeline.normalise import parse_amount

D = dt.date


@pytest.mark.parametrize(
    ("typed", "unit", "value", "reading"),
    [
        ("24", "jp", 24.0, "angka"),
        ("24 JP", "jp", 24.0, "angka"),
        ("24,5", "jp", 24.5, "angka"),
        ("1.000", "jp", 1000.0, "angka"),
        ("1.000,5", "jp", 1000.5, "angka"),
        (24.5, "jp", 24.5, "angka"),
        ("24 JP (3 hari)", "jp", 24.0, "teks"),
        ("24 JP (3 hari)", "hari", 3.0, "teks"),
        ("JP: 24 (2024)", "jp", 24.0, "teks"),
        ("3 hari", "jp", 3.0, "teks"),  # days typed where JP belong: read, and said
        ("3 x 8 JP", "jp", None, "tidak jelas"),
        ("1e3", "jp", None, "tidak jelas"),
        ("dua puluh", "jp", None, "tidak jelas"),
        ("-24", "jp", -24.0, "angka"),
        ("", "jp", None, "kosong"),
        (None, "hari", None, "kosong"),
    ],
)
def test_a_cell_gives_one_number_or_none(typed, unit, value, reading):
    read = parse_amount(pd.Series([typed], dtype=object), unit).iloc[0]
    assert (None if pd.isna(read["value"]) else read["value"], read["reading"]) == (value, reading)


def training(jp, days=None, end=None, day=5):
    return {
        "nip_penerima": A, "nama_penerima": "Pegawai 2004", "jenis": "Pelatihan Teknis",
        "tanggal": D(2025, 5, day), "tanggal_selesai": end, "jp_program": jp, "jumlah_hari": days,
    }  # fmt: skip


def test_annotated_numbers_count_once_and_unclear_ones_are_rejected(folders):
    inp, out = folders
    rows = [
        training("24 JP (3 hari)", day=5),  # 24, with a Peringatan
        training("3 x 8 JP", day=6),  # rejected
        training("-24", day=7),  # rejected
        training("1e3", day=8),  # rejected
        training(16, days="2 hari", end=D(2025, 5, 1), day=9),  # ends before it starts: rejected
        training("8 JP", day=10),  # plain: 8
    ]
    submission(inp, "dinkes.xlsx", opd="Dinkes", lain=rows)
    result = rekap(inp, out)
    assert by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))[A]["JP Pengembangan Lain"] == 32
    found = result.report[result.report["Sheet"].eq("Pengembangan Lain")]
    assert found[["Baris", "Kolom", "Kode", "Pesan"]].values.tolist() == [
        [2, "H", "NUMBER_READ", "'24 JP (3 hari)' pada kolom JP Program dibaca sebagai 24."],
        [
            3,
            "H",
            "NUMBER_UNCLEAR",
            "'3 x 8 JP' pada kolom JP Program bukan satu angka yang jelas. Baris ini tidak dihitung.",
        ],
        [
            4,
            "H",
            "NUMBER_NEGATIVE",
            "'-24' pada kolom JP Program bernilai negatif. Baris ini tidak dihitung.",
        ],
        [
            5,
            "H",
            "NUMBER_UNCLEAR",
            "'1e3' pada kolom JP Program bukan satu angka yang jelas. Baris ini tidak dihitung.",
        ],
        [
            6,
            "F",
            "DATE_ORDER",
            "Tanggal Selesai 01/05/2025 sebelum Tanggal Mulai 09/05/2025. Baris ini tidak dihitung.",
        ],
    ]
    statuses = [r["Status"] for r in sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")]
    assert statuses == ["Dihitung", "Ditolak", "Ditolak", "Ditolak", "Ditolak", "Dihitung"]


def test_every_input_gets_its_own_report_names():
    """Issue 25: an .xls then an .xlsx of one name, a folder beside a joined name, names differing in case
    only, and a name too long for a file system all get distinct, stable names, checked before writing."""
    from pathlib import Path

    from pipeline.discover import InputFile
    from pipeline.outputs import MAX_STEM, report_stems

    rels = ["dinas.xls", "dinas.xlsx", "a/dinas.xlsx", "a__dinas.xlsx", "Bappeda.xlsx", "bappeda.xlsx",
            "x" * 250 + ".xlsx", "ok.xlsx", "b/ok.ods"]  # fmt: skip
    stems = report_stems([InputFile(Path(r), r) for r in rels])
    assert len({s.casefold() for s in stems.values()}) == len(rels)
    assert all(len(s) <= MAX_STEM for s in stems.values())
    assert (stems["dinas.xls"], stems["dinas.xlsx"], stems["ok.xlsx"], stems["b/ok.ods"]) == (
        "dinas_xls",
        "dinas_xlsx",
        "ok",
        "b__ok",
    )
    assert stems == report_stems([InputFile(Path(r), r) for r in rels])  # the same every run


def test_two_inputs_of_one_stem_both_get_their_reports(folders):
    """The run that failed with exit 2 after moving round 1 away: two inputs of one stem and type family."""
    import shutil

    from helpers import coaching_row

    inp, out = folders
    submission(
        inp, "dinkes_2025.xlsx", opd="Dinkes", coaching=[coaching_row(D(2025, 3, 3), nip_penerima="123")]
    )
    shutil.copyfile(inp / "dinkes_2025.xlsx", inp / "dinkes_2025.xlsm")
    rekap(inp, out)
    reports = sorted(p.name for p in (out / "validasi").iterdir())
    assert reports == [
        "dinkes_2025_xlsm_ditandai.xlsx", "dinkes_2025_xlsm_validasi.xlsx", "dinkes_2025_xlsx_ditandai.xlsx",
        "dinkes_2025_xlsx_validasi.xlsx", "ringkasan_validasi_2025.xlsx",
    ]  # fmt: skip
