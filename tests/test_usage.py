"""The analyst's first hour: every usage problem is one Indonesian sentence naming what she typed, exit 2,
found before reading; nothing else ever shows her a traceback."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from helpers import COACH, A, B, C, coaching_row, submission

from pipeline import cli
from pipeline import run as run_module

D = dt.date
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def under_make(monkeypatch):
    monkeypatch.setenv(cli.MAKE_MARKER, "1")


def test_output_that_is_a_file_is_refused_before_reading(folders, capsys, under_make, monkeypatch):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    out.write_text("bukan folder")

    def no_reading(*args, **kwargs):
        raise AssertionError("read before the usage check")

    monkeypatch.setattr(run_module, "read_all", no_reading)
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"Kesalahan penggunaan: Folder hasil OUTPUT= '{out}' tidak dapat dipakai karena ia sebuah berkas; "
        "pilih folder lain.\n"
    )


def test_output_below_a_file_is_refused(folders, capsys):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    out.write_text("bukan folder")
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out / "hasil")]) == 2
    assert capsys.readouterr().err == (
        f"Kesalahan penggunaan: Folder hasil --output '{out / 'hasil'}' tidak dapat dipakai: '{out}' adalah "
        "sebuah berkas; pilih folder lain.\n"
    )


def test_input_that_is_a_file_says_so(folders, capsys, under_make):
    inp, out = folders
    path = submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    assert cli.main(["rekap", "--input", str(path), "--output", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"Kesalahan penggunaan: INPUT= '{path}' adalah sebuah berkas, bukan folder; berikan folder yang "
        "berisi berkas OPD.\n"
    )


@pytest.mark.parametrize("typed", ["abc", "25", "20255"])
def test_a_year_that_is_not_a_year(folders, capsys, under_make, typed):
    inp, out = folders
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out), "--year", typed]) == 2
    assert capsys.readouterr().err == (
        f"Kesalahan penggunaan: YEAR= '{typed}' bukan tahun; tulis tahun dengan empat angka, misalnya 2025.\n"
    )


def test_several_years_name_the_variable_she_typed(folders, capsys, under_make):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    submission(inp, "b.xlsx", year=2024, coaching=[coaching_row(D(2024, 3, 3))])
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out)]) == 2
    assert capsys.readouterr().err == (
        "Kesalahan penggunaan: Berkas masukan berisi beberapa tahun laporan (2024, 2025); pilih satu dengan "
        "YEAR=.\n"
    )
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out), "--year", "2025"]) == 0


def test_argparse_errors_are_indonesian(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["rekap"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == (
        "Kesalahan penggunaan: argumen wajib belum diisi: --input. Lihat: python -m pipeline rekap --help\n"
    )


def test_an_unexpected_error_writes_a_log_not_a_traceback(folders, capsys, monkeypatch):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])

    def broken(config):
        raise RuntimeError("rusak di dalam")

    monkeypatch.setattr(cli, "run", broken)
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out)]) == 4
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("Terjadi kesalahan tak terduga pada program. Rinciannya ditulis ke")
    log = (out / cli.CRASH_LOG).read_text()
    assert "Traceback" in log and "RuntimeError: rusak di dalam" in log


def test_a_year_the_files_contradict_gets_a_warning(folders, capsys):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out), "--year", "2024"]) == 0
    assert (
        "Peringatan: tahun laporan 2024 diminta, tetapi Identitas 1 berkas menyebut tahun 2025; baris di luar "
        "tahun laporan tidak dihitung (Di Luar Periode). Periksa tahun yang diminta."
    ) in capsys.readouterr().out.splitlines()


def test_counts_agree_and_skipped_files_are_named(folders, capsys):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    (inp / "surat.pdf").write_bytes(b"%PDF-1.4")
    (inp / "rusak.xlsx").write_bytes(b"bukan zip")
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out)]) == 0
    table = capsys.readouterr().out
    assert "| Berkas ditemukan" in table and "| 3 " in table
    assert "| Berkas dibaca / dilewati" in table and "| 2 / 1 " in table
    assert "| Dilewati" in table and "| surat.pdf " in table
    import openpyxl

    ringkasan = {
        r[0]: r[1]
        for r in openpyxl.load_workbook(out / "rekap_2025.xlsx", read_only=True)["Ringkasan"].iter_rows(
            values_only=True
        )
        if r and r[0]
    }
    assert [ringkasan[k] for k in ("Berkas ditemukan", "Berkas dibaca", "Berkas tidak dapat dibaca")] == [
        3,
        2,
        1,
    ]
    assert ringkasan["Berkas dilewati"] == 1


def test_make_names_its_variables(tmp_path):
    """Through make itself, as the README tells her to run it."""
    target = tmp_path / "hasil.txt"
    target.write_text("x")
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "rekap", f"OUTPUT={target}", "YEAR=abc"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Kesalahan penggunaan: YEAR= 'abc' bukan tahun" in done.stderr
    assert "Traceback" not in done.stderr


def _roster(folder, rows):
    from helpers import roster_file

    roster_file(folder / "pegawai.xlsx", [["NIP", "Nama", "Jenis Jabatan", "Perangkat Daerah"], *rows])


def _untitled_submission(folder, name, title, recipients):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Coaching"
    if title:
        ws.append([title])
    ws.append(["No", "Tanggal", "NIP Coachee", "Nama Coachee", "NIP Coach", "Nama Coach", "Bukti"])
    for i, nip in enumerate(recipients, start=1):
        ws.append([i, f"03/0{i}/2025", nip, "X", COACH, "Budi", "f.pdf"])
    wb.save(folder / name)


def test_an_opd_without_identitas_is_named_by_its_title_then_the_roster_then_its_file(folders):
    inp, out = folders
    _roster(
        inp, [[A, "Ani", "JF", "Badan Perencanaan Pembangunan Daerah"], [B, "Budi", "JF", "Dinas Sosial"]]
    )
    _untitled_submission(
        inp, "bappeda coaching.xlsx", "LAPORAN COACHING BADAN PERENCANAAN PEMBANGUNAN DAERAH", [C]
    )
    _untitled_submission(inp, "dinsos.xlsx", "", [B, B])
    _untitled_submission(inp, "lain.xlsx", "", [C])
    result = cli.run(cli.RunConfig(input=inp, output=out, today=D(2026, 1, 15)))
    by_file = result.report.drop_duplicates("File").set_index("File")["Perangkat Daerah"]
    assert by_file["bappeda coaching.xlsx"] == "Badan Perencanaan Pembangunan Daerah"  # its title row
    assert by_file["dinsos.xlsx"] == "Dinas Sosial"  # the roster's OPD of its recipients
    assert by_file["lain.xlsx"] == "(Tidak diketahui)"  # neither, and "lain" names no known OPD
    unknown = result.report[result.report["Kode"].eq("OPD_UNKNOWN")]
    assert unknown[["File", "Pesan"]].values.tolist() == [
        [
            "lain.xlsx",
            "'lain' bukan nama Perangkat Daerah yang dikenal (Identitas, Data Pegawai atau daftar_opd di "
            "instansi.toml); berkas ini tidak masuk ke Perangkat Daerah mana pun; isi Perangkat Daerah di sheet "
            "Identitas.",
        ]
    ]


def test_progress_names_every_stage(folders, capsys):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    cli.run(cli.RunConfig(input=inp, output=out, today=D(2026, 1, 15), progress=True))
    stages = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert stages == [
        "[1/6] Mencari berkas ...",
        "[2/6] Membaca berkas ...",
        "[3/6] Merapikan data ...",
        "[4/6] Memeriksa data ...",
        "[5/6] Menghitung JP ...",
        "[6/6] Menulis hasil ...",
    ]
