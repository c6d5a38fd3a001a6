"""The command line as the analyst uses it: exit codes, summary, validate-only, evaluation sheets."""

import datetime as dt
import json
import subprocess
import sys

from helpers import COACH, A, B, by_nip, coaching_row, sheet_rows, submission

from pipeline.cli import main

D = dt.date


def test_rekap_end_to_end_writes_every_output(folders, capsys):
    inp, out = folders
    submission(inp, "dinas_a.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    submission(
        inp, "sub/dinas_b.xlsx".replace("/", "_"), opd="Dinas B", mentoring=[coaching_row(D(2025, 3, 4), B)]
    )
    assert main(["rekap", "--input", str(inp), "--output", str(out), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "Baris kegiatan dibaca" in printed and "| 2 " in printed
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {
        "rekap_2025.xlsx",
        "ip_asn_2025.xlsx",
        "manifest_2025.json",
        "validasi/ringkasan_validasi_2025.xlsx",
        "validasi/dinas_a_validasi.xlsx",
        "validasi/sub_dinas_b_validasi.xlsx",
    } <= names
    assert not any(n.endswith("_ditandai.xlsx") for n in names)  # no finding, no marked copy


def test_exit_codes(folders, tmp_path):
    inp, out = folders
    assert main(["rekap", "--input", str(tmp_path / "tidak-ada"), "--output", str(out)]) == 2
    assert main(["rekap", "--input", str(inp), "--output", str(out), "--profile", "jakarta"]) == 2
    assert main(["rekap", "--input", str(inp), "--output", str(out)]) == 3  # nothing to read
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3)), coaching_row("salah")])
    assert main(["rekap", "--input", str(inp), "--output", str(out)]) == 0
    assert main(["rekap", "--input", str(inp), "--output", str(out), "--strict"]) == 1
    submission(inp, "b.xlsx", year=2024, coaching=[coaching_row(D(2024, 3, 3))])
    assert main(["rekap", "--input", str(inp), "--output", str(out)]) == 2  # two years, no --year
    assert main(["rekap", "--input", str(inp), "--output", str(out), "--year", "2025"]) == 0


def test_validate_writes_only_the_validation_reports_under_periksa(folders, capsys):
    inp, out = folders
    submission(inp, "a.xlsx", coaching=[coaching_row(D(2025, 3, 3), nip_penerima="123")])
    assert main(["validate", "--input", str(inp), "--output", str(out)]) == 0
    assert f"| Laporan validasi                  | {out / 'periksa' / 'masuk'} |" in capsys.readouterr().out
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [
        "periksa/masuk/a_ditandai.xlsx",
        "periksa/masuk/a_validasi.xlsx",
        "periksa/masuk/ringkasan_validasi_2025.xlsx",
    ]
    temuan = sheet_rows(out / "periksa" / "masuk" / "a_validasi.xlsx", "Temuan")
    assert [(t["Baris"], t["Kolom"], t["Kode"], t["Tingkat"]) for t in temuan] == [
        (2, "C", "NIP_FORMAT", "Kesalahan")
    ]
    assert list(temuan[0]) == [
        "File",
        "Sheet",
        "Baris",
        "Kolom",
        "Nilai",
        "Tingkat",
        "Kode",
        "Pesan",
        "Saran Perbaikan",
    ]


def test_marked_copy_colours_and_comments_the_cells(folders):
    import openpyxl

    inp, out = folders
    submission(
        inp,
        "a.xlsx",
        coaching=[coaching_row(D(2025, 3, 3), nip_penerima="123"), coaching_row(D(2025, 3, 4), bukti=None)],
    )
    main(["validate", "--input", str(inp), "--output", str(out)])
    ws = openpyxl.load_workbook(out / "periksa" / "masuk" / "a_ditandai.xlsx")["Coaching"]
    assert ws["C2"].fill.start_color.rgb == "FFFF9999"
    assert ws["C2"].comment.text == (
        "NIP '123' pada kolom NIP Coachee bukan 18 digit (3 digit). Baris ini tidak dihitung.\n"
        "Saran: Periksa kembali NIP pada SK/kartu pegawai; NIP terdiri dari 18 angka."
    )
    assert ws["R3"].fill.start_color.rgb == "FFFFFF99"
    assert ws["R3"].comment.text == (
        "Kolom Bukti kosong.\nSaran: Lampirkan tautan/nama berkas bukti kegiatan (formulir yang ditandatangani)."
    )
    assert ws["C3"].comment is None


def test_evaluation_and_certificates(folders):
    inp, out = folders
    scores = {f"p{i}": 3 for i in range(1, 10)}
    submission(
        inp,
        "a.xlsx",
        coaching=[coaching_row(D(2025, 3, 3)), coaching_row(D(2025, 4, 3))],
        mentoring=[coaching_row(D(2025, 3, 5), B)],
        evaluasi=[
            {"tanggal": D(2025, 3, 3), "nip_penerima": A, "nip_pembimbing": COACH, **scores, "p1": 1},
            {"tanggal": D(2025, 4, 9), "nip_penerima": A, "nip_pembimbing": COACH, **scores, "p1": 9},
        ],
        penilaian=[
            {
                "tanggal": D(2025, 3, 5),
                "nip_penerima": B,
                "nip_pembimbing": COACH,
                "penilaian": "sangat mampu",
            }
        ],
    )
    main(["rekap", "--input", str(inp), "--output", str(out)])
    coach = sheet_rows(out / "rekap_2025.xlsx", "Evaluasi Coach")[0]
    assert (
        coach["NIP Coach"],
        coach["Jumlah Sesi"],
        coach["Jumlah Evaluasi"],
        coach["Sesi Tanpa Evaluasi"],
    ) == (COACH, 2, 1, 1)  # the P1=9 row is rejected
    assert (coach["P1"], coach["P2"]) == (1, 3)
    mentor = sheet_rows(out / "rekap_2025.xlsx", "Penilaian Mentor")[0]
    assert (mentor["Sangat Mampu"], mentor["Mampu"], mentor["Jumlah Penilaian"]) == (1, 0, 1)
    certs = sheet_rows(out / "rekap_2025.xlsx", "Daftar Sertifikat")
    assert [(c["No Sertifikat"], c["Jumlah Sesi"], c["JP"]) for c in certs] == [
        (f"2025/COACHING/{A}", 2, 8),
        (f"2025/MENTORING/{B}", 1, 2),
    ]
    manifest = json.loads((out / "manifest_2025.json").read_text())
    assert manifest["evaluations"] == {
        "rows_read": 3,
        "accepted": 2,
        "rejected": 1,
        "duplicate": 0,
        "superseded": 0,
        "reconciles": True,
    }


def test_python_dash_m_entry_point(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "profiles"], capture_output=True, text=True, check=True
    )
    assert "nganjuk-2025 (bawaan)" in done.stdout and "pangkalpinang-2023" in done.stdout


def test_sample_inputs_show_every_mechanism(tmp_path):
    from pathlib import Path

    inp = Path(__file__).resolve().parent.parent / "input_samples"
    out = tmp_path / "out"
    assert main(["rekap", "--input", str(inp), "--output", str(out)]) == 0
    manifest = json.loads((out / "manifest_2025.json").read_text())
    for key in ("counted", "capped", "duplicate", "out_of_period", "rejected"):
        assert manifest[key] > 0, key
    assert manifest["reconciles"]
    people = by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))
    assert len(people) >= 60 and any(p["JP Total"] == 0 for p in people.values())


def test_a_missing_column_is_noted_once_on_the_header_row_and_hidden_sheets_are_not_marked(folders):
    import openpyxl

    inp, out = folders
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Coaching"
    ws["A1"] = "LAPORAN COACHING DINAS UJI 2025"
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["No", "Tanggal", "NIP Coachee", "Nama Coachee", "NIP Coach", "Nama Coach"])
    for day in (3, 4, 5):
        ws.append([day, f"03/0{day}/2025", A, "Ani", COACH, "Budi"])  # one session a month
    wb.create_sheet("Coaching lama").sheet_state = "hidden"
    wb.save(inp / "tanpa_bukti.xlsx")
    main(["validate", "--input", str(inp), "--output", str(out)])
    marked = openpyxl.load_workbook(out / "periksa" / "masuk" / "tanpa_bukti_ditandai.xlsx")
    comments = {
        (sheet.title, c.coordinate): c.comment.text for sheet in marked for row in sheet.iter_rows() for c in row
        if c.comment
    }  # fmt: skip
    assert comments == {
        ("Coaching", "A3"): "Kolom Bukti tidak ditemukan di sheet ini (3 baris). Kolom Bukti kosong.\n"
        "Saran: Lampirkan tautan/nama berkas bukti kegiatan (formulir yang ditandatangani)."
    }
    # one finding for the sheet in Temuan too, its Baris empty like every sheet- and file-level finding
    temuan = openpyxl.load_workbook(out / "periksa" / "masuk" / "tanpa_bukti_validasi.xlsx")["Temuan"]
    rows = [
        r
        for r in temuan.iter_rows(min_row=2, values_only=True)
        if r[6] in ("EVIDENCE_MISSING", "SHEET_HIDDEN")
    ]
    assert [(r[1], r[2], r[6]) for r in rows] == [
        ("Coaching", None, "EVIDENCE_MISSING"),
        ("Coaching lama", None, "SHEET_HIDDEN"),
    ]
    assert marked["Coaching"]["A1"].fill.fill_type is None  # the title row keeps its look
