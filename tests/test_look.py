"""What a colleague sees when she opens the outputs: numbers without trailing points, percentages as numbers,
coloured statuses, names beside every NIP, print setups that stay legible."""

import datetime as dt
import zipfile

import openpyxl
import pytest
from helpers import A, B, coaching_row, rekap, submission

D = dt.date


def _recap(folders):
    inp, out = folders
    met = [coaching_row(D(2025, m, 3)) for m in range(1, 6)]  # 5 x 4 = 20 JP: exactly the target
    submission(inp, "a.xlsx", opd="Dinas Uji", coaching=[*met, coaching_row(D(2025, 1, 4), B)])
    rekap(inp, out)
    return out


def test_jp_and_percentages_are_numbers_with_honest_formats(folders):
    out = _recap(folders)
    wb = openpyxl.load_workbook(out / "rekap_2025.xlsx")
    pegawai = wb["Rekap Pegawai"]
    header = [c.value for c in pegawai[1]]
    row_a = next(r[0].row for r in pegawai.iter_rows(min_row=2) if r[0].value == A)
    total = pegawai.cell(row_a, header.index("JP Total") + 1)
    assert (total.value, total.number_format) == (20, "General")
    opd = wb["Rekap OPD"]
    cell = opd.cell(2, [c.value for c in opd[1]].index("Persentase Memenuhi") + 1)
    assert (cell.value, cell.number_format) == (0.5, "0.00%")
    ringkasan = {r[0].value: r[1] for r in wb["Ringkasan"].iter_rows(max_col=2) if r[0].value}
    assert (
        ringkasan["Persentase memenuhi 20 JP"].value,
        ringkasan["Persentase memenuhi 20 JP"].number_format,
    ) == (
        0.5,
        "0.00%",
    )
    with zipfile.ZipFile(out / "rekap_2025.xlsx") as archive:
        assert b"0.##" not in archive.read("xl/styles.xml")


def test_status_cells_are_coloured_and_text_keeps_its_distance(folders):
    out = _recap(folders)
    for path, sheet in (
        (out / "rekap_2025.xlsx", "Rekap Pegawai"),
        (out / "ip_asn_2025.xlsx", "Kartu Pengendalian 20 JP"),
    ):
        ws = openpyxl.load_workbook(path)[sheet]
        column = openpyxl.utils.get_column_letter([c.value for c in ws[1]].index("Status 20 JP") + 1)
        rules = {
            rule.formula[0]: rule.dxf.fill.bgColor.rgb
            for cf in ws.conditional_formatting
            if str(cf.sqref).startswith(column)
            for rule in cf.rules
        }
        assert rules == {'"Terpenuhi"': "FFC6EFCE", '"Belum Terpenuhi"': "FFFFC7CE"}
        nama = ws.cell(2, [c.value for c in ws[1]].index("Nama") + 1)
        assert nama.alignment.indent == 1


def test_every_per_employee_sheet_names_the_employee_and_the_opd(folders):
    out = _recap(folders)
    for path, sheet in (
        (out / "rekap_2025.xlsx", "Rekap Pegawai"),
        (out / "rekap_2025.xlsx", "Rekap Bulanan"),
        (out / "ip_asn_2025.xlsx", "Kartu Pengendalian 20 JP"),
        (out / "ip_asn_2025.xlsx", "Belum 20 JP"),
        (out / "ip_asn_2025.xlsx", "Indikator Kompetensi"),
    ):
        header = [c.value for c in openpyxl.load_workbook(path, read_only=True)[sheet][1]]
        assert {"NIP", "Nama", "Perangkat Daerah"} <= set(header), sheet
    indikator = openpyxl.load_workbook(out / "ip_asn_2025.xlsx", read_only=True)["Indikator Kompetensi"]
    assert [c.value for c in indikator[1]] == [
        "NIP", "Nama", "Perangkat Daerah", "Jenis Jabatan", "JP Total", "Nilai Indikator 20 JP",
    ]  # fmt: skip
    rows = {r[0]: r for r in indikator.iter_rows(min_row=2, values_only=True)}
    assert rows[A][1:3] == ("Pegawai 2004", "Dinas Uji")


def test_wide_sheets_print_at_full_size_narrow_ones_fit_the_page(folders):
    out = _recap(folders)
    wb = openpyxl.load_workbook(out / "rekap_2025.xlsx")
    assert wb["Rekap OPD"].sheet_properties.pageSetUpPr.fitToPage
    detail = wb["Detail Kegiatan"]
    assert not (detail.sheet_properties.pageSetUpPr and detail.sheet_properties.pageSetUpPr.fitToPage)
    assert detail.print_title_rows == "$1:$1" and detail.page_setup.orientation == "landscape"


def test_temuan_prints_one_finding_per_line_of_paper(folders):
    """The OPD's clerk prints her Temuan: its text columns wrap narrower so that a finding's File, Baris and
    Pesan are on one page width (they used to print 12 pages apart)."""
    inp, out = folders
    long_name = "laporan_coaching_mentoring_dinas_pekerjaan_umum_dan_penataan_ruang_2025.xlsx"
    short_nip = "19850312201001200"  # 17 digits: NIP_FORMAT, its value shown in Nilai
    rows = [coaching_row("salah"), coaching_row("31/02/2025"), coaching_row(D(2025, 3, 3), short_nip)]
    submission(inp, long_name, opd="Dinas Uji", coaching=rows)
    rekap(inp, out)
    ws = openpyxl.load_workbook(out / "validasi" / long_name.replace(".xlsx", "_validasi.xlsx"))["Temuan"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[1]]
    widths = {
        h: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i, h in enumerate(header)
    }
    assert sum(widths.values()) <= 170 + 0.72 * len(widths)  # xlsxwriter adds 0.71 to each width it stores
    assert widths["Pesan"] >= 25 and ws.cell(2, header.index("Pesan") + 1).alignment.wrap_text
    assert ws.cell(2, header.index("File") + 1).alignment.wrap_text
    # the widest columns give way first: a NIP in Nilai stays on one line (it was cut to "198503122010012" / "00")
    assert short_nip in [c.value for c in ws["E"]] and widths["Nilai"] >= len(short_nip) + 2


@pytest.mark.parametrize("spliced", [False, True])
def test_outputs_of_a_second_round_open_in_libreoffice(folders, tmp_path, monkeypatch, spliced):
    """Runs where LibreOffice is installed (CI has none): every workbook converts, so it opens unrepaired;
    `spliced`: every table written by pipeline.sheetxml, as the large ones are."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if spliced:
        monkeypatch.setattr("pipeline.write.SPLICE_ROWS", 1)
    inp, out = folders
    submission(inp, "a.xlsx", opd="Dinas Uji", coaching=[coaching_row(D(2025, 1, 3)), coaching_row("salah")])
    rekap(inp, out)
    submission(
        inp,
        "a_revisi.xlsx",
        opd="Dinas Uji",
        coaching=[coaching_row(D(2025, 1, 3)), coaching_row(D(2025, 2, 3))],
    )
    rekap(inp, out)
    books = [out / "rekap_2025.xlsx", out / "ip_asn_2025.xlsx", *sorted((out / "kirim_opd").rglob("*.xlsx"))]
    pdfs = tmp_path / "pdf"
    for book in books:
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
             "--outdir", str(pdfs), str(book)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        assert (pdfs / f"{book.stem}.pdf").stat().st_size > 1000, book.name


def test_tables_sharing_a_column_on_one_sheet_keep_it_wide_enough(tmp_path):
    import pandas as pd

    from pipeline.outputs import write_findings_report

    report = pd.DataFrame(
        [{"File": "a.xlsx", "Sheet": "", "Baris": 0, "Kolom": "", "Nilai": "", "Tingkat": "Peringatan",
          "Kode": "SUBMISSION_SUPERSEDED", "Pesan": "x", "Saran Perbaikan": "y", "Perangkat Daerah": "Dinkes"}]
    )  # fmt: skip
    write_findings_report(tmp_path / "v.xlsx", report, "Validasi")
    ringkasan = openpyxl.load_workbook(tmp_path / "v.xlsx")["Ringkasan"]
    assert ringkasan.column_dimensions["A"].width >= len(
        "SUBMISSION_SUPERSEDED"
    )  # not the shorter OPD column
