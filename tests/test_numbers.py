"""Numbers as a clerk types them (issue 25, first item): one number or none, never digits glued together."""

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
