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


def _lock(out, pid, host=None):
    import json
    import socket

    out.mkdir(parents=True, exist_ok=True)
    holder = {"pid": pid, "host": host or socket.gethostname(), "mulai": "2026-12-06T08:00:00"}
    (out / ".rekap-jp.lock").write_text(json.dumps(holder), encoding="utf-8")


def test_a_second_run_into_a_held_output_folder_stops_and_says_who_holds_it(folders, capsys):
    """Issue 25: two runs at once into one output folder: the second exits 2 and names the first."""
    import os
    import socket

    from helpers import coaching_row

    from pipeline.cli import main

    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[coaching_row(D(2025, 3, 3))])
    _lock(out, os.getppid())  # a live process on this machine holds it
    assert main(["rekap", "--input", str(inp), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        f"sedang dipakai run lain (pid {os.getppid()} di {socket.gethostname()}, mulai 2026-12-06T08:00:00). "
        "Tunggu run itu selesai, lalu jalankan ulang."
    ) in err
    assert not (out / "rekap_2025.xlsx").exists()
    assert (out / ".rekap-jp.lock").exists()  # still the holder's


def test_a_lock_left_by_a_killed_run_is_taken_over_and_said(folders):
    import subprocess
    import sys

    from helpers import coaching_row

    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[coaching_row(D(2025, 3, 3))])
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    _lock(out, int(gone.stdout))  # that process has ended
    result = rekap(inp, out)
    assert result.warnings[0].startswith(
        f"kunci folder hasil dari run yang tidak selesai (pid {int(gone.stdout)} di "
    )
    assert (out / "rekap_2025.xlsx").exists() and not (out / ".rekap-jp.lock").exists()
    rekap(inp, out)  # and a run after it finds the folder free
    assert not (out / ".rekap-jp.lock").exists()


def test_control_characters_are_shown_not_obeyed():
    from pipeline.textnorm import visible

    assert visible("dinas\x1b[2J.xlsx") == "dinas\\x1b[2J.xlsx"
    assert visible("a\tb\nc\rd\x00") == "a\tb\nc\\x0dd\\x00"


def test_an_escape_in_a_cell_and_a_file_name_reaches_neither_xml_nor_terminal(folders, capsys):
    import openpyxl
    from helpers import coaching_row

    from pipeline.cli import main

    inp, out = folders
    rows = [coaching_row(D(2025, 3, 3), nip_penerima="1985\x1b[31m")]
    submission(inp, "dinas\x1b[2J.xlsx", opd="Dinkes", coaching=rows)
    (inp / "surat\x1b[2J.pdf").write_bytes(b"%PDF-1.4")  # listed as skipped on the terminal
    assert main(["rekap", "--input", str(inp), "--output", str(out)]) == 0
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err and "surat\\x1b[2J.pdf" in printed.out
    marked = next((out / "validasi").glob("*_ditandai.xlsx"))
    comment = openpyxl.load_workbook(marked)["Coaching"]["C2"].comment.text  # the XML is well formed
    assert comment.startswith("NIP '1985\\x1b[31m' pada kolom NIP Coachee bukan 18 digit")


@pytest.mark.parametrize(
    "edited",
    ['{"outputs": 5, "findings": "banyak", "counted": "x"}', '{"outputs": ["rekap_2025.xlsx", 7]}', "[1, 2]"],
)
def test_an_earlier_manifest_edited_by_hand_never_stops_a_run(folders, edited):
    """Issue 25: valid JSON of the wrong shape gave exit 4 on every later run; the earlier run is still
    recognised by its workbooks and moved to riwayat/ whole."""
    from helpers import coaching_row

    from pipeline.cli import main

    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[coaching_row(D(2025, 3, 3))])
    rekap(inp, out)
    (out / "manifest_2025.json").write_text(edited, encoding="utf-8")
    assert main(["rekap", "--input", str(inp), "--output", str(out)]) == 0
    kept = next((out / "riwayat").iterdir())
    assert {"rekap_2025.xlsx", "manifest_2025.json"} <= {p.name for p in kept.iterdir()}


@pytest.mark.parametrize("typed", ["1.98001E+17", "1,98503E+17", "1.98503122010012e17"])
def test_a_nip_excel_saved_as_a_power_of_ten_is_a_number_not_eight_digits(typed):
    from pipeline.normalise import parse_nip

    read = parse_nip(pd.Series([typed, "198503122010012004"], dtype=object))
    assert read["numeric"].tolist() == [True, False]
    assert pd.isna(read["nip"].iloc[0]) and read["nip"].iloc[1] == "198503122010012004"


def test_a_binary_workbook_is_named_as_one_and_skipped(folders):
    from helpers import coaching_row

    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[coaching_row(D(2025, 3, 3))])
    (inp / "bappeda.xlsb").write_bytes(b"\x00" * 64)
    (inp / "surat.pdf").write_bytes(b"%PDF-1.4")
    report = rekap(inp, out).report
    skipped = report[report["Kode"].eq("FILE_UNSUPPORTED")]
    assert skipped["Pesan"].tolist() == [
        "Berkas ini (.xlsb, lembar kerja Excel Biner) dilewati: formatnya tidak dibaca program ini (.xlsx, .xlsm, "
        ".xls, .ods, .csv).",
        "Berkas ini (.pdf) dilewati: formatnya tidak dibaca program ini (.xlsx, .xlsm, .xls, .ods, .csv).",
    ]


def test_a_bomb_padded_with_random_bytes_is_refused_by_its_own_ratio(folders):
    """Issue 25: one part inflating 1,000:1 beside random bytes that keep the archive's ratio under 200:1."""
    import os
    import zipfile

    from helpers import coaching_row

    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[coaching_row(D(2025, 3, 3))])
    bomb = inp / "bappeda.xlsx"
    with (
        zipfile.ZipFile(inp / "dinkes.xlsx") as good,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as bad,
    ):
        for info in good.infolist():
            bad.writestr(info, good.read(info))
        bad.writestr("xl/media/padding.bin", os.urandom(1024**2), compress_type=zipfile.ZIP_STORED)
        bad.writestr("xl/worksheets/sheet99.xml", b"<x>" + b" " * (60 * 1024**2) + b"</x>")
    with zipfile.ZipFile(bomb) as archive:  # the archive as a whole stays under 200:1
        assert sum(i.file_size for i in archive.infolist()) / bomb.stat().st_size < 200
    report = rekap(inp, out).report
    assert report.loc[report["File"].eq("bappeda.xlsx"), "Pesan"].tolist() == [
        "Berkas tidak dapat dibaca: rasio kompresi satu bagian arsip tidak wajar (kemungkinan zip bomb)."
    ]


def test_a_file_gone_between_listing_and_reading_is_one_finding(tmp_path):
    from pipeline.read import read_workbook

    data = read_workbook(tmp_path / "hilang.xlsx", "hilang.xlsx")
    assert not data.readable
    assert [(f["code"], f["detail"]) for f in data.findings] == [
        ("FILE_UNREADABLE", "berkas hilang atau dipindah sebelum dibaca")
    ]


@pytest.mark.parametrize("layout", ["same", "input_inside_output"])
def test_input_equal_to_or_inside_output_still_reads_the_submissions(tmp_path, layout):
    """Issue 25: INPUT inside (or equal to) OUTPUT excluded every input (exit 3). The submissions are read;
    the run's own outputs lying beside them are still never read."""
    from helpers import coaching_row

    out = tmp_path / "hasil"
    inp = out if layout == "same" else out / "masuk"
    inp.mkdir(parents=True)
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[coaching_row(D(2025, 3, 3))])
    first = rekap(inp, out)
    second = rekap(inp, out)
    assert first.reconciliation["counted"] == second.reconciliation["counted"] == 1
    if layout == "same":  # the first run's outputs lie among the submissions: listed, never read
        assert {"rekap_2025.xlsx", "manifest_2025.json"} <= set(second.skipped)
