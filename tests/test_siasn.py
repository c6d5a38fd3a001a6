"""A roster as BKPSDM has it: BKN's SIASN "Export Data ASN", as CSV or xlsx, with its units and quirks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from pipeline import roster
from pipeline.normalise import clean_text
from pipeline.profiles import load_profile
from pipeline.run import RunResult
from tests.helpers import by_nip, coaching_row, folders, rekap, sheet_rows, submission

__all__ = ["folders"]

SIASN_HEADER = [
    "PNS ID", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "TGL LAHIR",
    "JENIS PEGAWAI NAMA", "KEDUDUKAN HUKUM NAMA", "GOL AKHIR NAMA", "JENIS JABATAN NAMA", "ESELON NAMA",
    "JABATAN NAMA", "UNOR NAMA", "UNOR INDUK NAMA",
]  # fmt: skip
SITI, BUDI, CANDRA, DEWI, EKO, FAJAR = (
    "198503122010012004",  # JF, unit names the OPD
    "199001152015031002",  # Pelaksana, a puskesmas: needs the Peta Unor
    "198807072012121001",  # structural, eselon IV.a, its parent unit names the OPD
    "199203032023212001",  # PPPK
    "197512122000031003",  # retired: not in the workforce
    "198001012005011005",  # a unit nobody maps
)
SIASN_ROWS = [
    ["A1", f"'{SITI}", "null", "Siti Aminah", "Dr.", "S.Kep., M.Kes.", "12-03-1985",
     "PNS Daerah Kabupaten/Kota", "Aktif", "III/c", "Jabatan Fungsional Tertentu", "null",
     "Perawat Ahli Muda", "Bidang Pelayanan Kesehatan Dinas Kesehatan", "Dinas Kesehatan"],
    ["A2", f"'{BUDI}", "null", "Budi Santoso", "null", "null", "15-01-1990", "PNS Daerah Kabupaten/Kota",
     "Aktif", "III/a", "Jabatan Fungsional Umum", "null", "Pengadministrasi Umum", "Puskesmas Kertosono",
     "null"],
    ["A3", f"'{CANDRA}", "null", "Candra Wijaya", "", "S.E.", "07-07-1988", "PNS Daerah Kabupaten/Kota",
     "Aktif", "III/d", "Jabatan Struktural", "IV.a", "Kepala Subbagian Umum", "Subbagian Umum dan Kepegawaian",
     "Dinas Kesehatan"],
    ["A4", f"'{DEWI}", "null", "Dewi Lestari", "null", "A.Md.Kep.", "03-03-1992", "PPPK", "Aktif", "IX",
     "Jabatan Fungsional Tertentu", "null", "Perawat Terampil", "Dinas Kesehatan", "null"],
    ["A5", f"'{EKO}", "null", "Eko Prasetyo", "null", "null", "12-12-1975", "PNS Daerah Kabupaten/Kota",
     "Pensiun", "IV/a", "Jabatan Fungsional Umum", "null", "Pengadministrasi Umum", "Dinas Kesehatan",
     "null"],
    ["A6", f"'{FAJAR}", "null", "Fajar Nugroho", "null", "null", "01-01-1980", "PNS Daerah Kabupaten/Kota",
     "Aktif", "III/b", "Jabatan Pelaksana", "null", "Analis", "UPTD Laboratorium Kesehatan Daerah", "null"],
]  # fmt: skip
UNMAPPED_MESSAGE = (
    "Unit kerja (UNOR) yang tidak dapat dipetakan ke Perangkat Daerah: 2 unit, 2 pegawai: "
    "Puskesmas Kertosono (1); UPTD Laboratorium Kesehatan Daerah (1)."
)


def workforce_warnings(result: RunResult) -> list[str]:
    """The run's warnings but the one about instansi.toml (these tests print no documents)."""
    return [w for w in result.warnings if not w.startswith("pengaturan instansi")]


def write_siasn_csv(path: Path, separator: str = ";", bom: bool = True) -> Path:
    lines = [separator.join(SIASN_HEADER)]
    for row in SIASN_ROWS:
        lines.append(separator.join(f'"{v}"' if "," in v and separator == "," else v for v in row))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig" if bom else "utf-8")
    return path


def write_siasn_xlsx(path: Path, sheet: str = "Sheet1") -> Path:
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet(sheet)
    for r, row in enumerate([SIASN_HEADER, *SIASN_ROWS]):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    book.close()
    return path


def write_unit_map(path: Path, pairs: list[tuple[str, str]]) -> Path:
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("Peta Unor")
    ws.write_row(0, 0, ["Unor", "Perangkat Daerah"])
    for r, pair in enumerate(pairs, start=1):
        ws.write_row(r, 0, pair)
    book.close()
    return path


def dinkes_sessions(inp: Path) -> None:
    """Siti: five coaching sessions in five months = 20 JP; Candra one (4 JP); Dewi (PPPK) five."""
    rows = [coaching_row(dt.date(2025, m, 5), SITI, nama_penerima="dr. Siti Aminah") for m in range(1, 6)]
    rows += [coaching_row(dt.date(2025, 2, 9), CANDRA, nama_penerima="Candra Wijaya, S.E.")]
    rows += [coaching_row(dt.date(2025, m, 6), DEWI) for m in range(1, 6)]
    submission(inp, "dinkes.xlsx", opd="Dinas Kesehatan", coaching=rows)


def run_with_roster(inp: Path, out: Path, **options: object):
    dinkes_sessions(inp)
    result = rekap(inp, out, **options)
    return result, out / "rekap_2025.xlsx", out / "ip_asn_2025.xlsx"


@pytest.mark.parametrize(("separator", "bom"), [(";", True), (",", False), ("\t", True), (",", True)])
def test_siasn_csv_in_the_input_folder_is_the_roster(folders, separator, bom):
    inp, out = folders
    write_siasn_csv(inp / "export_data_asn.csv", separator, bom)
    result, rekap_path, ip_path = run_with_roster(inp, out)
    people = by_nip(sheet_rows(rekap_path, "Rekap Pegawai"))
    assert set(people) == {SITI, BUDI, CANDRA, DEWI, FAJAR}  # Eko is retired: not in the workforce
    assert people[SITI]["Nama"] == "Dr. Siti Aminah, S.Kep., M.Kes."
    assert people[BUDI]["Nama"] == "Budi Santoso"  # `null` titles are no titles
    assert people[SITI]["JP Total"] == 20 and people[SITI]["Status 20 JP"] == "Terpenuhi"
    assert people[CANDRA]["Perangkat Daerah"] == "Dinas Kesehatan"  # through UNOR INDUK
    assert people[BUDI]["Perangkat Daerah"] == "(Tidak diketahui)"
    indikator = by_nip(sheet_rows(ip_path, "Indikator Kompetensi"))
    assert indikator[SITI]["Jenis Jabatan"] == "JF" and indikator[SITI]["Nilai Indikator 20 JP"] == 15
    assert indikator[CANDRA]["Jenis Jabatan"] == "Pengawas"  # Jabatan Struktural, eselon IV.a
    assert indikator[CANDRA]["Nilai Indikator 20 JP"] == 0
    assert indikator[BUDI]["Jenis Jabatan"] == "Pelaksana"  # Jabatan Fungsional Umum
    assert indikator[DEWI]["Nilai Indikator 20 JP"] == "Tidak berlaku (PPPK)"
    capaian = {r["Perangkat Daerah"]: r for r in sheet_rows(ip_path, "Capaian OPD")}
    assert capaian["Dinas Kesehatan"]["Jumlah Pegawai"] == 3  # Siti, Candra, Dewi
    assert capaian["Dinas Kesehatan"]["Memenuhi 20 JP"] == 2  # Siti and Dewi
    assert result.gaps is not None and result.gaps.no_opd == 2


def test_siasn_findings_and_warnings_say_what_the_roster_could_not(folders):
    inp, out = folders
    write_siasn_csv(inp / "export_data_asn.csv")
    result, _, _ = run_with_roster(inp, out)
    report = result.report
    inactive = report[report["Kode"].eq("ROSTER_INACTIVE")]
    assert inactive[["File", "Baris", "Kolom", "Nilai"]].values.tolist() == [
        ["export_data_asn.csv", 6, "I", "Pensiun"]
    ]
    assert inactive["Pesan"].iloc[0] == (
        "Kedudukan hukum 'Pensiun': pegawai ini tidak dihitung dalam jumlah pegawai (hanya yang Aktif)."
    )
    unmapped = report[report["Kode"].eq("UNIT_UNMAPPED")]
    assert unmapped["Pesan"].tolist() == [UNMAPPED_MESSAGE]
    assert workforce_warnings(result) == [
        "2 pegawai tanpa Perangkat Daerah (dihitung sebagai (Tidak diketahui)): 2 unit kerja di Data Pegawai "
        "belum dipetakan; lengkapi peta_unor_2025.xlsx di folder hasil, letakkan di folder masukan, lalu "
        "jalankan ulang."
    ]
    assert not report["Kode"].isin(["NIP_FORMAT", "NIP_NUMERIC_PRECISION"]).any()  # apostrophes cleaned


def test_the_unit_map_written_completed_and_dropped_back_in_maps_every_unit(folders):
    inp, out = folders
    write_siasn_csv(inp / "export_data_asn.csv")
    run_with_roster(inp, out)
    written = sheet_rows(out / "peta_unor_2025.xlsx", "Peta Unor")
    assert [(r["Unor"], r["Perangkat Daerah"], r["Dasar Pemetaan"]) for r in written] == [
        ("Bidang Pelayanan Kesehatan Dinas Kesehatan", "Dinas Kesehatan", "nama unit"),
        ("Dinas Kesehatan", "Dinas Kesehatan", "nama unit"),
        ("Puskesmas Kertosono", None, "belum dipetakan"),
        ("Subbagian Umum dan Kepegawaian", "Dinas Kesehatan", "nama unit induk"),
        ("UPTD Laboratorium Kesehatan Daerah", None, "belum dipetakan"),
    ]
    book = openpyxl.load_workbook(out / "peta_unor_2025.xlsx")
    for row in book["Peta Unor"].iter_rows(min_row=2):
        row[1].value = row[1].value or "Dinas Kesehatan"
    book.save(inp / "peta_unor_2025.xlsx")
    result = rekap(inp, out)
    assert not result.report["Kode"].eq("UNIT_UNMAPPED").any()
    assert workforce_warnings(result) == []
    capaian = {r["Perangkat Daerah"]: r for r in sheet_rows(out / "ip_asn_2025.xlsx", "Capaian OPD")}
    assert capaian["Dinas Kesehatan"]["Jumlah Pegawai"] == 5
    again = sheet_rows(out / "peta_unor_2025.xlsx", "Peta Unor")
    assert {r["Dasar Pemetaan"] for r in again if r["Unor"] == "Puskesmas Kertosono"} == {"Peta Unor"}


def test_siasn_xlsx_with_its_own_sheet_name_and_a_peta_unor_sheet(folders):
    inp, out = folders
    write_siasn_xlsx(inp / "DATA ASN KAB.xlsx", sheet="Export Data ASN")
    write_unit_map(inp / "peta.xlsx", [("PUSKESMAS KERTOSONO", "Dinas Kesehatan")])
    result, rekap_path, _ = run_with_roster(inp, out)
    people = by_nip(sheet_rows(rekap_path, "Rekap Pegawai"))
    assert people[BUDI]["Perangkat Daerah"] == "Dinas Kesehatan"
    assert people[FAJAR]["Perangkat Daerah"] == "(Tidak diketahui)"
    assert result.report.loc[result.report["Kode"].eq("UNIT_UNMAPPED"), "Pesan"].tolist() == [
        "Unit kerja (UNOR) yang tidak dapat dipetakan ke Perangkat Daerah: 1 unit, 1 pegawai: "
        "UPTD Laboratorium Kesehatan Daerah (1)."
    ]
    assert not (out / "kirim_opd" / "Peta").exists()  # BKPSDM's own files go to no OPD


def test_siasn_csv_given_with_roster_option(folders, tmp_path):
    inp, out = folders
    csv_path = write_siasn_csv(tmp_path / "siasn.csv", ",", bom=False)
    _, rekap_path, _ = run_with_roster(inp, out, roster=csv_path)
    assert by_nip(sheet_rows(rekap_path, "Rekap Pegawai"))[SITI]["Perangkat Daerah"] == "Dinas Kesehatan"


def test_a_csv_roster_gets_a_marked_copy_as_a_workbook(folders):
    inp, out = folders
    write_siasn_csv(inp / "siasn.csv", "\t")
    run_with_roster(inp, out)
    cell = openpyxl.load_workbook(out / "validasi" / "siasn_ditandai.xlsx")["siasn"]["I6"]
    assert cell.value == "Pensiun" and cell.comment is not None


def test_a_csv_that_is_not_a_roster_is_reported_and_the_run_goes_on(folders):
    inp, out = folders
    (inp / "catatan.csv").write_text("tanggal;keterangan\n01-02-2025;rapat\n", encoding="utf-8")
    result, rekap_path, _ = run_with_roster(inp, out)
    missing = result.report[result.report["Kode"].eq("SHEET_MISSING")]
    assert missing["File"].tolist() == ["catatan.csv"]
    assert missing["Pesan"].iloc[0] == "Tidak ada sheet yang dikenali (berkas CSV catatan.csv)."
    assert SITI in by_nip(sheet_rows(rekap_path, "Rekap Pegawai"))


def test_without_a_roster_the_empty_indicator_is_announced(folders):
    inp, out = folders
    result, _, _ = run_with_roster(inp, out)
    assert workforce_warnings(result) == [
        "Nilai Indikator 20 JP kosong untuk 2 PNS: tanpa Data Pegawai jenis jabatan tidak diketahui. "
        "Letakkan Data Pegawai (template atau ekspor SIASN) di folder masukan."
    ]
    assert result.gaps is not None and result.gaps.no_jenis == 2


# ------------------------------------------------------------------------------------ column meanings


def text(*values: object) -> pd.Series:
    return clean_text(pd.Series(values, dtype=object))


@pytest.mark.parametrize(
    ("jenis", "eselon", "expected"),
    [
        ("Jabatan Fungsional Tertentu", None, "JF"),
        ("JABATAN FUNGSIONAL UMUM", None, "Pelaksana"),
        ("Jabatan Pelaksana", None, "Pelaksana"),
        ("Jabatan Struktural", "II.b", "JPT"),
        ("Jabatan Struktural", "III.a", "Administrator"),
        ("Jabatan Struktural", "IV/b", "Pengawas"),
        ("Jabatan Struktural", "32", "Administrator"),
        ("Jabatan Struktural", None, "Struktural"),
        ("JPT", None, "JPT"),
        ("Guru", None, None),
    ],
)
def test_jenis_jabatan_from_siasn(jenis, eselon, expected):
    found = roster.jenis_jabatan(text(jenis), text(eselon)).iloc[0]
    assert (None if pd.isna(found) else found) == expected


def test_struktural_scores_as_jpt_administrator_and_pengawas_do():
    for profile_id in ("nganjuk-2025", "pangkalpinang-2023"):
        scores = load_profile(profile_id).indicator_scores()
        assert scores["Struktural"] == scores["JPT"] == scores["Pengawas"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("PNS Daerah Kabupaten/Kota", "PNS"), ("PPPK", "PPPK"), ("CPNS", "PNS"),
     ("Pegawai Pemerintah dengan Perjanjian Kerja", "PPPK"), ("pns", "PNS")],
)  # fmt: skip
def test_pns_or_pppk_from_jenis_pegawai(value, expected):
    assert roster.asn_kind(text(value)).iloc[0] == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("Bidang P2P Dinas Kesehatan", "Dinas Kesehatan Kabupaten Nganjuk"),  # without "Kabupaten X"
        ("DINAS KESEHATAN", "Dinas Kesehatan Kabupaten Nganjuk"),
        ("Dinas Pendidikan dan Kebudayaan", "Dinas Pendidikan dan Kebudayaan"),  # the longest name
        ("Sekretariat", None),  # one word is not enough to guess
        ("Badan Kepegawaian", "Badan Kepegawaian dan Pengembangan SDM"),  # contained in one OPD's name
        ("SMP Negeri 1 Nganjuk", None),
    ],
)
def test_unit_to_opd_by_name(unit, expected):
    names = [
        "Dinas Kesehatan Kabupaten Nganjuk",
        "Dinas Pendidikan",
        "Dinas Pendidikan dan Kebudayaan",
        "Sekretariat Daerah",
        "Badan Kepegawaian dan Pengembangan SDM",
    ]
    opd, _ = roster.unit_opd(text(None), [text(unit)], names, {})
    assert (None if pd.isna(opd.iloc[0]) else opd.iloc[0]) == expected


def test_the_roster_column_and_the_unit_map_come_before_names():
    stated = text("Dinas A", None, None)
    units = text("Dinas B", "Puskesmas X", "Dinas B")
    opd, source = roster.unit_opd(stated, [units], ["Dinas B"], {"puskesmas x": "Dinas C"})
    assert opd.tolist() == ["Dinas A", "Dinas C", "Dinas B"]
    assert source.tolist() == ["Data Pegawai", "Peta Unor", "nama unit"]


def test_clean_export_removes_apostrophes_and_null_only():
    frame = pd.DataFrame({"nip": ["'1985", "null", " NULL ", "O'Brien", 5.0]})
    assert roster.clean_export(frame, ["nip"])["nip"].tolist() == ["1985", "", "", "O'Brien", 5.0]


def test_p1_to_p9_say_what_they_score_in_the_template_and_in_evaluasi_coach(tmp_path, folders):
    inp, out = folders
    template = submission(tmp_path, "template.xlsx", coaching=[])
    ws = openpyxl.load_workbook(template)["Evaluasi Coaching"]
    prompts = {str(dv.sqref): dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt}
    p4 = next(c.column_letter for c in ws[1] if c.value == "P4")
    assert prompts[f"{p4}1"] == (
        "P4: Saya merasa bahwa Coach memberikan pandangan berdasarkan data/fakta yang akurat.\n"
        "Skala 1-3: 1 = tidak setuju, 2 = netral, 3 = setuju."
    )
    petunjuk = [c.value for c in openpyxl.load_workbook(template)["Petunjuk"]["A"] if c.value]
    assert "P9: Saya memahami maksud dan tujuan kegiatan Coaching ini" in petunjuk
    run_with_roster(inp, out)
    sheet = openpyxl.load_workbook(out / "rekap_2025.xlsx")["Evaluasi Coach"]
    notes = {c.value: c.comment.text for c in sheet[1] if c.comment}
    assert sorted(notes) == [f"P{i}" for i in range(1, 10)]
    assert notes["P1"].startswith("P1: Saya merasa diperhatikan dan dipahami oleh Coach.")


def test_the_summary_table_shows_what_the_roster_could_not_say(folders, capsys):
    from pipeline import cli

    inp, out = folders
    write_siasn_csv(inp / "export_data_asn.csv")
    dinkes_sessions(inp)
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out)]) == 0
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in capsys.readouterr().out.splitlines()
            if line.startswith("| ")}  # fmt: skip
    assert rows["Pegawai tanpa Perangkat Daerah"] == "2"
    assert "PNS tanpa jenis jabatan (indikator kosong)" not in rows


@pytest.mark.parametrize(("units", "tail"), [(30, "Unit 30 (1)."), (31, "Unit 30 (1) dan 1 unit lainnya.")])
def test_unit_unmapped_names_thirty_units_then_counts_the_rest(units, tail):
    """A kabupaten export can leave hundreds of units unmapped: the message names 30, then says how many more."""
    from pipeline.findings import render
    from pipeline.validate import check_roster

    frame = pd.DataFrame(
        {
            "uid": range(units),
            "file": "siasn.csv",
            "sheet": "siasn",
            "row": range(2, units + 2),
            "aktif": True,
            "kedudukan": "Aktif",
            "opd": pd.Series([None] * units, dtype="string"),
            "unor": [f"Unit {i:02d}" for i in range(1, units + 1)],
        }
    )
    (finding,) = [f for f in check_roster(frame) if len(f)]
    message = render(finding, pd.Series([""]), pd.Series([""]))["Pesan"].iloc[0]
    assert message.startswith(
        f"Unit kerja (UNOR) yang tidak dapat dipetakan ke Perangkat Daerah: {units} unit, "
    )
    assert message.endswith(tail) and message.count("(1)") == 30


def test_a_peta_unor_typo_makes_no_new_opd_and_proposes_the_known_name(folders):
    """Issue 22: "Dinas Kesehtan" in the Peta Unor is no fifth OPD: a Peringatan proposes the known name,
    the unit's employees stay unmapped; a correct abbreviation ("Dinkes") means the known OPD."""
    inp, out = folders
    write_siasn_xlsx(inp / "siasn.xlsx")
    write_unit_map(
        inp / "peta.xlsx",
        [("Puskesmas Kertosono", "Dinas Kesehtan"), ("UPTD Laboratorium Kesehatan Daerah", "DINKES")],
    )
    result, rekap_path, _ = run_with_roster(inp, out)
    people = by_nip(sheet_rows(rekap_path, "Rekap Pegawai"))
    assert people[BUDI]["Perangkat Daerah"] == "(Tidak diketahui)"
    assert people[FAJAR]["Perangkat Daerah"] == "Dinas Kesehatan"
    assert {r["Perangkat Daerah"] for r in sheet_rows(rekap_path, "Rekap OPD")} == {
        "Dinas Kesehatan",
        "(Tidak diketahui)",
    }
    unknown = result.report[result.report["Kode"].eq("OPD_UNKNOWN")]
    assert unknown[["File", "Sheet", "Baris", "Kolom", "Nilai", "Tingkat"]].values.tolist() == [
        ["peta.xlsx", "Peta Unor", 2, "B", "Dinas Kesehtan", "Peringatan"]
    ]
    assert unknown["Pesan"].iloc[0] == (
        "'Dinas Kesehtan' bukan nama Perangkat Daerah yang dikenal (Identitas, Data Pegawai atau daftar_opd di "
        "instansi.toml); pegawai unit ini tidak dipetakan ke Perangkat Daerah mana pun. Mungkin maksudnya "
        "'Dinas Kesehatan'."
    )
    assert not (out / "kirim_opd" / "Dinas Kesehtan").exists()
    # the unit map to complete offers the known names
    book = openpyxl.load_workbook(out / "peta_unor_2025.xlsx")
    rule = book["Peta Unor"].data_validations.dataValidation[0]
    assert (rule.type, rule.formula1, str(rule.sqref)) == ("list", "'Daftar OPD'!$A$2:$A$2", "B2:B6")
    assert [r[0].value for r in book["Daftar OPD"].iter_rows()] == ["Perangkat Daerah", "Dinas Kesehatan"]


def test_a_file_without_identitas_is_named_by_the_known_opd_its_name_abbreviates(folders, tmp_path):
    from tests.helpers import roster_file

    inp, out = folders
    (inp / "kiriman").mkdir()
    rows = [coaching_row(dt.date(2025, 3, 3), SITI)]
    submission(inp / "kiriman", "bappeda_coaching_2025.xlsx", opd="", coaching=rows)
    submission(inp, "dinkes.xlsx", opd="Dinas Kesehatan", coaching=[coaching_row(dt.date(2025, 3, 4), BUDI)])
    roster = roster_file(
        tmp_path / "pegawai.xlsx",
        [["NIP", "Nama", "Perangkat Daerah"], [SITI, "Siti", "Badan Perencanaan Pembangunan Daerah"],
         [BUDI, "Budi", "Dinas Kesehatan"]],
    )  # fmt: skip
    result = rekap(inp, out, roster=roster)
    opd = result.report  # no OPD_UNKNOWN: the name abbreviates a known OPD
    assert "OPD_UNKNOWN" not in set(opd["Kode"])
    detail = {
        r["File"]: r["Perangkat Daerah"] for r in sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    }
    assert detail["kiriman/bappeda_coaching_2025.xlsx"] == "Badan Perencanaan Pembangunan Daerah"
    assert (out / "kirim_opd" / "Badan Perencanaan Pembangunan Daerah").is_dir()


@pytest.mark.parametrize(
    ("name", "known"),
    [("bappeda", "Badan Perencanaan Pembangunan Daerah"), ("Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
     ("DINKES Kab. Nganjuk", "Dinas Kesehatan"), ("Satpol PP", "Satuan Polisi Pamong Praja"),
     ("disdik", "Dinas Pendidikan"), ("Dinas Pendidkan", None), ("Dinas Sosial", None)],
)  # fmt: skip
def test_an_opd_name_means_the_known_opd_abbreviations_and_region_aside(name, known):
    from pipeline.opds import KnownOpds

    names = KnownOpds.of(
        ["Badan Perencanaan Pembangunan Daerah", "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Nganjuk"],
        ["Dinas Kesehatan", "Satuan Polisi Pamong Praja", "Dinas Pendidikan"],
    )
    found = names.meaning(name)
    assert (found and found.startswith(known)) if known else found is None
    assert names.closest("Dinas Pendidkan") == "Dinas Pendidikan"
