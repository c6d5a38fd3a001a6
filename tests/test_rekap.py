"""JP rules, cap, duplicates, period, roster: through the whole run, outputs read back with openpyxl."""

import datetime as dt
import json

import pytest
from helpers import A, B, C, by_nip, coaching_row, rekap, roster_file, sheet_rows, submission

D = dt.date


@pytest.mark.parametrize(
    ("sheet", "column", "nganjuk", "pangkalpinang"),
    [("coaching", "JP Coaching", 4 + 4, 2 + 4), ("mentoring", "JP Mentoring", 2 + 2, 2 + 4)],
)
def test_session_jp_per_profile_national_and_international(folders, sheet, column, nganjuk, pangkalpinang):
    inp, out = folders
    sessions = [coaching_row(D(2025, 3, 3)), coaching_row(D(2025, 4, 7), skala="Internasional")]
    submission(inp, "opd.xlsx", **{sheet: sessions})
    rekap(inp, out)
    assert by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))[A][column] == nganjuk
    rekap(inp, out, profile="pangkalpinang-2023")
    row = by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))[A]
    assert row[column] == pangkalpinang
    assert row["Status 20 JP"] == "Belum Terpenuhi"
    assert row["Kekurangan JP"] == 20 - pangkalpinang


def test_monthly_cap_counts_the_first_two_by_date_then_row(folders):
    inp, out = folders
    rows = [
        coaching_row(D(2025, 3, 20)),
        coaching_row(D(2025, 3, 5)),
        coaching_row(D(2025, 3, 12), giver=C),
        coaching_row(D(2025, 3, 12)),
        coaching_row(D(2025, 4, 1)),
    ]
    submission(inp, "opd.xlsx", coaching=rows, mentoring=[coaching_row(D(2025, 3, 6))])
    result = rekap(inp, out)
    detail = sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    status = {(r["Sheet"], r["Baris"]): r["Status"] for r in detail}
    # March 5 (row 3) first; the two on March 12 tie on date: row 4 before row 5; March 20 (row 2) is over.
    assert status[("Coaching", 3)] == "Dihitung"
    assert status[("Coaching", 4)] == "Dihitung"
    assert status[("Coaching", 5)] == "Melebihi Batas Bulanan"
    assert status[("Coaching", 2)] == "Melebihi Batas Bulanan"
    assert status[("Coaching", 6)] == "Dihitung"
    assert status[("Mentoring", 2)] == "Dihitung"  # the cap is per activity
    notes = {(r["Sheet"], r["Baris"]): r["Keterangan"] for r in detail if r["Status"] != "Dihitung"}
    assert notes == {
        ("Coaching", 2): "Melebihi batas 2 sesi per bulan",
        ("Coaching", 5): "Melebihi batas 2 sesi per bulan",
    }
    person = by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))[A]
    assert (person["Sesi Coaching Dilaporkan"], person["Sesi Coaching Dihitung"], person["JP Coaching"]) == (
        5,
        3,
        12,
    )
    assert result.reconciliation["capped"] == 2


def test_duplicates_within_and_across_files_first_seen_stays(folders):
    inp, out = folders
    same = coaching_row(D(2025, 6, 2))
    submission(inp, "a_opd.xlsx", coaching=[same, same])
    submission(inp, "b_opd.xlsx", opd="Dinas Lain", coaching=[same, coaching_row(D(2025, 6, 2), giver=C)])
    result = rekap(inp, out)
    detail = sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    status = {(r["File"], r["Baris"]): r["Status"] for r in detail}
    assert status == {
        ("a_opd.xlsx", 2): "Dihitung",
        ("a_opd.xlsx", 3): "Duplikat",
        ("b_opd.xlsx", 2): "Duplikat",
        ("b_opd.xlsx", 3): "Dihitung",
    }
    assert result.reconciliation["duplicate"] == 2
    notes = {r["Baris"]: r["Keterangan"] for r in detail if r["File"] == "b_opd.xlsx"}
    assert notes == {2: "Duplikat dari a_opd.xlsx, sheet Coaching, baris 2", 3: ""}


def test_out_of_period_is_kept_with_zero_jp(folders):
    inp, out = folders
    submission(inp, "opd.xlsx", coaching=[coaching_row(D(2024, 12, 30)), coaching_row(D(2025, 1, 2))])
    result = rekap(inp, out, year=2025)
    detail = sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    assert [(r["Status"], r["JP"], r["Keterangan"]) for r in detail] == [
        ("Di Luar Periode", 0, "Di luar tahun 2025"),
        ("Dihitung", 4, ""),
    ]
    assert result.reconciliation["out_of_period"] == 1
    codes = {r["Kode"] for r in sheet_rows(out / "validasi" / "opd_validasi.xlsx", "Temuan")}
    assert "DATE_OUT_OF_PERIOD" in codes


def test_roster_employee_without_sessions_appears_with_zero(folders):
    inp, out = folders
    submission(inp, "opd.xlsx", coaching=[coaching_row(D(2025, 2, 3))])
    roster_file(
        inp / "pegawai.xlsx",
        [
            ["NIP", "Nama", "Jenis Jabatan", "Perangkat Daerah", "Pangkat/Gol"],
            [A, "Ani", "JF", "Dinas Uji", "III/c"],
            [B, "Budi", "Pelaksana", "Dinas Uji", "II/a"],
        ],
    )
    rekap(inp, out)
    people = by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))
    assert people[B]["JP Total"] == 0 and people[B]["Status 20 JP"] == "Belum Terpenuhi"
    assert people[A]["Nama"] == "Ani"
    opd = sheet_rows(out / "rekap_2025.xlsx", "Rekap OPD")
    assert opd == [
        {
            "Perangkat Daerah": "Dinas Uji",
            "Jumlah Pegawai": 2,
            "Pegawai Ikut Coaching/Mentoring": 1,
            "Sesi Dihitung": 1,
            "JP Total": 4,
            "Memenuhi 20 JP": 0,
            "Persentase Memenuhi": 0,
        }
    ]
    indikator = by_nip(sheet_rows(out / "ip_asn_2025.xlsx", "Indikator Kompetensi"))
    assert indikator[B]["Nilai Indikator 20 JP"] == 0
    belum = sheet_rows(out / "ip_asn_2025.xlsx", "Belum 20 JP")
    assert [r["NIP"] for r in belum] == [B, A]  # the one short by more first
    # the certificate names the roster's rank (the session row gave none)
    assert [r["Pangkat/Gol"] for r in sheet_rows(out / "rekap_2025.xlsx", "Daftar Sertifikat")] == ["III/c"]


def test_twenty_jp_met_and_kartu_columns(folders):
    inp, out = folders
    coaching = [coaching_row(D(2025, m, 3)) for m in (1, 2, 3)]
    lain = [
        {
            "nip_penerima": A,
            "nama_penerima": "Ani",
            "jenis": "Seminar",
            "tanggal": D(2025, 5, 5),
            "jumlah_hari": 2,
        },
        {
            "nip_penerima": A,
            "nama_penerima": "Ani",
            "jenis": "Bimtek",
            "tanggal": D(2025, 6, 5),
            "jp_program": 10,
        },
    ]
    submission(inp, "opd.xlsx", coaching=coaching, lain=lain)
    rekap(inp, out)
    kartu = by_nip(sheet_rows(out / "ip_asn_2025.xlsx", "Kartu Pengendalian 20 JP"))[A]
    assert (kartu["Coaching"], kartu["Sosialisasi"], kartu["Pelatihan"], kartu["Total JP"]) == (12, 8, 10, 30)
    assert kartu["Status 20 JP"] == "Terpenuhi"
    person = by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))[A]
    assert (person["JP Pengembangan Lain"], person["JP Total"], person["Kekurangan JP"]) == (18, 30, 0)


def test_manifest_reconciles_and_names_every_input(folders):
    inp, out = folders
    submission(inp, "opd.xlsx", coaching=[coaching_row(D(2025, 2, 3)), coaching_row("31/02/2025")])
    (inp / "scan.pdf").write_bytes(b"%PDF-1.4")
    rekap(inp, out)
    manifest = json.loads((out / "manifest_2025.json").read_text())
    assert {
        k: manifest[k] for k in ("rows_read", "counted", "capped", "duplicate", "out_of_period", "rejected")
    } == {"rows_read": 2, "counted": 1, "capped": 0, "duplicate": 0, "out_of_period": 0, "rejected": 1}
    assert manifest["profile"]["id"] == "nganjuk-2025" and len(manifest["profile"]["sha256"]) == 64
    assert {i["path"]: i["status"] for i in manifest["inputs"]} == {"opd.xlsx": "read", "scan.pdf": "skipped"}
    assert {o["path"] for o in manifest["outputs"]} >= {"rekap_2025.xlsx", "ip_asn_2025.xlsx"}


def test_detail_shows_a_parsed_date_as_a_date_and_an_unparsed_one_as_typed(folders):
    """Detail Kegiatan > Tanggal: a date cell (dd/mm/yyyy) where the date parsed, the OPD's own text where it
    did not, so a rejected row still shows what was typed."""
    inp, out = folders
    submission(inp, "opd.xlsx", coaching=[coaching_row(D(2025, 2, 3)), coaching_row("31/02/2025")])
    rekap(inp, out)
    import openpyxl

    ws = openpyxl.load_workbook(out / "rekap_2025.xlsx")["Detail Kegiatan"]
    column = [c.value for c in ws[1]].index("Tanggal") + 1
    cells = [ws.cell(row=r, column=column) for r in (2, 3)]
    assert [c.value for c in cells] == [dt.datetime(2025, 2, 3), "31/02/2025"]
    assert cells[0].number_format == "dd/mm/yyyy" and cells[1].data_type == "s"


def test_same_input_gives_identical_outputs(folders, tmp_path):
    inp, out = folders
    submission(inp, "opd.xlsx", coaching=[coaching_row(D(2025, 2, 3)), coaching_row("bukan tanggal")])
    rekap(inp, out)
    first = json.loads((out / "manifest_2025.json").read_text())
    rekap(inp, tmp_path / "lagi")
    assert json.loads((tmp_path / "lagi" / "manifest_2025.json").read_text())["outputs"] == first["outputs"]


@pytest.mark.parametrize("profile", ["nganjuk-2025", "pangkalpinang-2023"])
def test_template_has_every_sheet_and_reads_back_empty(tmp_path, profile):
    from pipeline.cli import main

    path = tmp_path / "template_opd.xlsx"
    assert main(["template", "--output", str(path), "--profile", profile]) == 0
    import openpyxl

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Petunjuk",
        "Identitas",
        "Coaching",
        "Mentoring",
        "Evaluasi Coaching",
        "Penilaian Mentor",
        "Pengembangan Lain",
    ]
    headers = [c.value for c in wb["Coaching"][1]]
    assert headers[:4] == ["No", "Tanggal", "NIP Coachee", "Nama Coachee"] and headers[-1] == "Bukti"
    assert wb["Coaching"].column_dimensions["C"].number_format == "@"
    assert wb["Coaching"].freeze_panes == "A2"
    checks = {str(dv.sqref): dv for dv in wb["Coaching"].data_validations.dataValidation}
    assert checks["M2:M5001"].formula1 == '"Nasional,Internasional"'  # dropdowns to row 5,000
    assert (checks["C2:C5001"].type, checks["C2:C5001"].formula1) == ("textLength", "18")
    assert checks["C2:C5001"].prompt == "18 digit, tanpa spasi atau titik (kolom berformat Teks)."
    assert checks["B2:B5001"].type == "date"
    assert wb["Coaching"]["A2"].value is None  # the example row lives on Petunjuk, never among the data
    petunjuk = [r[0] for r in wb["Petunjuk"].iter_rows(values_only=True)]
    assert any(str(line).startswith("1 | 03/03/2025 | 198503122010012004") for line in petunjuk)


def test_detail_longer_than_a_sheet_continues_and_goes_to_parquet(folders, monkeypatch):
    import openpyxl
    import pandas as pd

    from pipeline import outputs

    monkeypatch.setattr(outputs, "DETAIL_SHEET_ROWS", 3)
    inp, out = folders
    submission(
        inp, "opd.xlsx", coaching=[*(coaching_row(D(2025, m, 3)) for m in range(1, 5)), coaching_row("x")]
    )
    rekap(inp, out)
    names = openpyxl.load_workbook(out / "rekap_2025.xlsx", read_only=True).sheetnames
    assert names[names.index("Detail Kegiatan") + 1] == "Detail Kegiatan (2)"
    first = sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    second = sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan (2)")
    assert [r["ID"] for r in first + second] == [1, 2, 3, 4, 5]
    parquet = pd.read_parquet(out / "detail_kegiatan_2025.parquet")
    assert parquet["ID"].tolist() == [1, 2, 3, 4, 5] and parquet["Tanggal (teks)"].iloc[-1] == "x"
    manifest = json.loads((out / "manifest_2025.json").read_text())
    assert "detail_kegiatan_2025.parquet" in {o["path"] for o in manifest["outputs"]}


def test_petunjuk_takes_its_rules_from_the_profile():
    from pipeline.profiles import load_profile
    from pipeline.template import petunjuk_lines

    nganjuk = petunjuk_lines(load_profile("nganjuk-2025"))
    assert "11. Laporkan kegiatan paling lambat 1 bulan setelah pelaksanaan." in nganjuk
    pangkalpinang = petunjuk_lines(load_profile("pangkalpinang-2023"))  # the Perwali sets no deadline
    assert "11. Laporkan kegiatan sesegera mungkin setelah pelaksanaan." in pangkalpinang
    assert (
        "10. Batas penghitungan: coaching paling banyak 2 sesi dan mentoring paling banyak 2 sesi per bulan "
        "per pegawai." in pangkalpinang
    )


# Five recipients; the roster places the first k of them in Dinas Pendidikan and does not list the others.
FIVE = [A, B, C, "199203042019032005", "197805062003121002"]


@pytest.mark.parametrize(
    ("in_roster", "recipients", "opd"),
    [
        (3, 5, "Dinas Pendidikan"),  # more than half
        (2, 4, "(Tidak diketahui)"),  # exactly half is no majority; the file's name names no known OPD
        (2, 5, "(Tidak diketahui)"),  # two in five
    ],
)
def test_a_file_without_its_opd_is_named_by_the_rosters_majority_else_by_its_name(
    folders, in_roster, recipients, opd
):
    inp, out = folders
    roster_file(
        inp / "pegawai.xlsx",
        [
            ["NIP", "Nama", "Perangkat Daerah"],
            *[[n, f"Pegawai {n[-4:]}", "Dinas Pendidikan"] for n in FIVE[:in_roster]],
        ],
    )
    (inp / "kiriman").mkdir()
    rows = [coaching_row(D(2025, 3, 3), n) for n in FIVE[:recipients]]
    submission(inp, "kiriman/laporan_coaching.xlsx", opd=None, coaching=rows)
    result = rekap(inp, out)
    detail = sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    assert {r["Perangkat Daerah"] for r in detail} == {opd}
    unknown = result.report[result.report["Kode"].eq("OPD_UNKNOWN")]
    assert unknown["Nilai"].tolist() == ([] if opd == "Dinas Pendidikan" else ["laporan coaching"])
