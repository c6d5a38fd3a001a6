"""The documents BKPSDM signs: certificates and the Kartu Pengendalian per OPD, as PDF, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from pipeline import cli, documents
from pipeline.instansi import EXAMPLE, load_instansi
from pipeline.profiles import KARTU_COLUMNS
from tests.helpers import A, B, C, coaching_row, folders, rekap, sheet_rows, submission

__all__ = ["folders"]

INSTANSI = """\
nama_pemerintah_daerah = "Pemerintah Kabupaten Uji"
nama_instansi = "Badan Kepegawaian Daerah Uji"
alamat = "Jl. Merdeka 1"
kota = "Kota Uji"

[penandatangan]
nama = "Hj. Ratna Sari, S.H."
nip = "197001011995032001"
jabatan = "Kepala Badan Kepegawaian Daerah Uji"

[atasan_langsung."Dinas Uji"]
nama = "Ir. Bambang Wijaya"
nip = "196901011994031001"
jabatan = "Kepala Dinas Uji"
"""
LONG_NAME = "Dr. Hj. Āminah Ṣiti Nurhaliza Kusumaningrum Wulandari Prawirodirdjo, S.E., M.Si., M.Kes."


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def sessions(inp: Path) -> None:
    """Dinas Uji: A coaching x3 and mentoring x1 (two certificates), B coaching; Dinas Lain: C mentoring."""
    rows = [coaching_row(dt.date(2025, m, 3), A, nama_penerima="Andi Saputra") for m in (1, 2, 3)]
    rows += [coaching_row(dt.date(2025, 4, 3), B, nama_penerima=LONG_NAME)]
    lain = [{"nip_penerima": A, "nama_penerima": "Andi Saputra", "jenis": "Seminar",
             "tanggal": dt.date(2025, 5, 5), "skala": "Nasional", "jumlah_hari": 1}]  # fmt: skip
    mentoring = [coaching_row(dt.date(2025, 6, 3), A, nama_penerima="Andi Saputra")]
    submission(inp, "uji.xlsx", opd="Dinas Uji", coaching=rows, mentoring=mentoring, lain=lain)
    submission(inp, "lain.xlsx", opd="Dinas Lain", mentoring=[coaching_row(dt.date(2025, 2, 3), C)])


def test_one_certificate_page_per_register_row_per_opd(folders):
    inp, out = folders
    sessions(inp)
    result = rekap(inp, out)
    register = sheet_rows(out / "rekap_2025.xlsx", "Daftar Sertifikat")
    assert {r["Kegiatan"] for r in register} == {"Coaching", "Mentoring"}  # the seminar certifies elsewhere
    for opd in ("Dinas Uji", "Dinas Lain"):
        rows = [r for r in register if r["Perangkat Daerah"] == opd]
        texts = [flat(t) for t in pages(out / "sertifikat_2025" / f"{opd}.pdf")]
        assert len(texts) == len(rows)
        for text, row in zip(texts, rows, strict=True):
            assert f"Nomor: {row['No Sertifikat']}" in text and f"NIP : {row['NIP']}" in text
            assert "SERTIFIKAT" in text and "[Nama Penandatangan]" in text
    uji = [flat(t) for t in pages(out / "sertifikat_2025" / "Dinas Uji.pdf")]
    assert (
        "sebanyak 3 sesi yang diakui, pada periode 03/01/2025 s.d. 03/03/2025, setara dengan 12 Jam" in uji[0]
    )
    assert any(w.startswith("pengaturan instansi (instansi.toml) tidak ditemukan") for w in result.warnings)


def test_a_long_name_with_diacritics_wraps_on_its_page(folders):
    inp, out = folders
    sessions(inp)
    rekap(inp, out)
    text = [flat(t) for t in pages(out / "sertifikat_2025" / "Dinas Uji.pdf") if B in t]
    assert len(text) == 1  # still one page
    assert "Dr. Hj. Aminah Siti Nurhaliza Kusumaningrum" in text[0]  # letters the font lacks, folded
    assert "M.Si., M.Kes." in text[0]


def test_kartu_repeats_its_header_on_every_page_and_ends_with_the_signature(folders):
    inp, out = folders
    rows = [
        coaching_row(dt.date(2025, 1 + i % 12, 3), f"19850312201001{1 + i % 2}{i:03d}") for i in range(70)
    ]
    submission(inp, "uji.xlsx", opd="Dinas Uji", coaching=rows)
    rekap(inp, out)
    texts = [flat(t) for t in pages(out / "kartu_2025" / "Dinas Uji.pdf")]
    assert len(texts) >= 3
    for text in texts[:-1]:
        assert "Nama / NIP" in text and "Pelatihan" in text and "Coaching" in text and "Dan lain-lain" in text
    assert "Mengetahui," in texts[-1] and "Atasan Langsung" in texts[-1]
    assert all("Mengetahui" not in t for t in texts[:-1])
    kartu = [r for r in sheet_rows(out / "ip_asn_2025.xlsx", "Kartu Pengendalian 20 JP")]
    assert sum(t.count("NIP. ") for t in texts) == len(kartu) + 1  # every employee, and the signatory


def test_a_copied_page_reads_line_by_line_as_printed(folders):
    """Text copied from a page (or read aloud) follows its printed lines: a certificate's "NIP : 1985…" and
    a Kartu row's numbers each come out as one line, not a word or a number per line."""
    inp, out = folders
    sessions(inp)
    rekap(inp, out)
    certificate = sheet_rows(out / "rekap_2025.xlsx", "Daftar Sertifikat")[0]
    opd = certificate["Perangkat Daerah"]
    printed = [
        " ".join(line.split()) for line in pages(out / "sertifikat_2025" / f"{opd}.pdf")[0].splitlines()
    ]
    assert f"NIP : {certificate['NIP']}" in printed
    assert f"Perangkat Daerah : {opd}" in printed
    kartu = sheet_rows(out / "ip_asn_2025.xlsx", "Kartu Pengendalian 20 JP")
    row = next(r for r in kartu if r["Perangkat Daerah"] == "Dinas Lain")
    printed = [
        " ".join(line.split()) for line in pages(out / "kartu_2025" / "Dinas Lain.pdf")[0].splitlines()
    ]
    numbers = " ".join(documents.jp_text(row[c]) for c in (*KARTU_COLUMNS, "Total JP"))
    assert f"1 {row['Nama']}" in printed
    assert f"{numbers} {row['Status 20 JP'].split()[0]}" in printed


def test_instansi_toml_in_the_input_folder_names_issuer_and_signatories(folders):
    inp, out = folders
    sessions(inp)
    (inp / "instansi.toml").write_text(INSTANSI, encoding="utf-8")
    result = rekap(inp, out)
    cert = flat(pages(out / "sertifikat_2025" / "Dinas Uji.pdf")[0])
    assert "PEMERINTAH KABUPATEN UJI BADAN KEPEGAWAIAN DAERAH UJI Jl. Merdeka 1" in cert
    assert "Hj. Ratna Sari, S.H. NIP. 197001011995032001" in cert
    assert "Kota Uji, 15 Januari 2026" in cert
    kartu = flat(pages(out / "kartu_2025" / "Dinas Uji.pdf")[-1])
    assert (
        "Atasan Langsung (Kepala Dinas Uji)" in kartu
        and "(Ir. Bambang Wijaya) NIP. 196901011994031001" in kartu
    )
    lain = flat(pages(out / "kartu_2025" / "Dinas Lain.pdf")[-1])
    assert "Atasan Langsung (....." in lain  # no atasan named: blank lines to sign by hand
    assert not any("instansi.toml" in w for w in result.warnings)
    assert "instansi.toml" not in result.skipped and not result.report["File"].eq("instansi.toml").any()


def test_a_broken_instansi_toml_is_a_usage_error(folders, capsys):
    inp, out = folders
    sessions(inp)
    (inp / "instansi.toml").write_text('nama_instansi = "BKD"\nkepala = "x"\n', encoding="utf-8")
    assert cli.main(["rekap", "--input", str(inp), "--output", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"Kesalahan penggunaan: '{inp / 'instansi.toml'}': kunci tidak dikenal: kepala.\n"
    )


def test_dokumen_reprints_with_the_new_signatory_and_keeps_the_old_pdfs(folders, capsys):
    inp, out = folders
    sessions(inp)
    rekap(inp, out)
    before = (out / "sertifikat_2025" / "Dinas Uji.pdf").read_bytes()
    (inp / "instansi.toml").write_text(INSTANSI, encoding="utf-8")
    assert cli.main(["dokumen", "--output", str(out), "--input", str(inp)]) == 0
    assert capsys.readouterr().out.startswith("Dokumen ditulis: 4 berkas PDF")
    assert "Hj. Ratna Sari" in pages(out / "sertifikat_2025" / "Dinas Uji.pdf")[0]
    archived = list((out / "riwayat").glob("*/sertifikat_2025/Dinas Uji.pdf"))
    assert [p.read_bytes() for p in archived] == [before]
    manifest = json.loads((out / "manifest_2025.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    fresh = hashlib.sha256((out / "sertifikat_2025" / "Dinas Uji.pdf").read_bytes()).hexdigest()
    assert listed["sertifikat_2025/Dinas Uji.pdf"] == fresh
    assert "rekap_2025.xlsx" in listed


def test_dokumen_without_a_run_says_so(tmp_path, capsys):
    assert cli.main(["dokumen", "--output", str(tmp_path)]) == 2
    assert "Tidak ada hasil run di --output" in capsys.readouterr().err


def test_documents_are_the_same_bytes_for_the_same_input(folders, tmp_path):
    inp, out = folders
    sessions(inp)
    rekap(inp, out)
    rekap(inp, tmp_path / "again")
    for name in ("sertifikat_2025/Dinas Uji.pdf", "kartu_2025/Dinas Lain.pdf"):
        assert (out / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def test_the_example_settings_load(tmp_path):
    path = tmp_path / "instansi.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    loaded = load_instansi(path)
    assert loaded.kota == "Nganjuk" and loaded.penandatangan.nip == "197001011995031001"


def test_template_writes_the_example_beside_it(tmp_path, capsys):
    assert cli.main(["template", "--output", str(tmp_path / "template_opd.xlsx")]) == 0
    assert load_instansi(tmp_path / "instansi_contoh.toml").atasan_of("Dinas Kesehatan") is None
    assert capsys.readouterr().out.endswith(
        f"Contoh pengaturan instansi: {tmp_path / 'instansi_contoh.toml'}\n"
    )


def test_jp_prints_as_the_recap_holds_it():
    from pipeline.documents import jp_text

    assert [jp_text(v) for v in (20, 20.0, 28.8, 2.25, 1 / 3, None)] == [
        "20",
        "20",
        "28.8",
        "2.25",
        "0.33",
        "0",
    ]


# Lampiran III as one reportlab Table (the header's spans, a grid over every row, the body's alignment):
# the reference the paged, hand-drawn Kartu must match
REFERENCE_STYLE = TableStyle(
    [
        *(c for c in documents._KARTU_HEADER_STYLE.getCommands() if c[0] == "SPAN"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#DDEBF7")),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        ("VALIGN", (0, 2), (-1, -1), "TOP"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (2, 2), (9, -1), "RIGHT"),
        ("FONT", (0, 2), (-1, -1), documents.FONT, documents.KARTU_FONT_SIZE, documents.KARTU_LEADING),
    ]
)


@pytest.fixture(scope="module")
def kartu_and_reference(tmp_path_factory):
    """A 150-employee Kartu (long two-line names, wrapped statuses, decimals) drawn as the pipeline draws it,
    and drawn as one reportlab Table with the reference style."""
    tmp = tmp_path_factory.mktemp("kartu")
    names = [LONG_NAME if i % 7 == 0 else f"Pegawai {i}" for i in range(150)]
    kartu = pd.DataFrame(
        {"Perangkat Daerah": "Dinas Uji", "Nama": names, "NIP": [f"198503122010011{i:03d}" for i in range(150)],
         **{c: [(i * (j + 1)) % 9 / 4 for i in range(150)] for j, c in enumerate(KARTU_COLUMNS)},
         "Total JP": [i % 30 + 0.25 for i in range(150)],
         "Status 20 JP": ["Belum Terpenuhi" if i % 5 == 0 else "Terpenuhi" for i in range(150)]}
    )  # fmt: skip
    letter = documents.Letter(load_instansi(None), "Dasar uji", 2025, dt.date(2025, 12, 31))
    paged = documents.write_kartu(tmp / "paged", kartu, letter)[0]
    original = documents._kartu_table

    def one_table(rows, styles, width):
        table = original(rows, styles, width)
        single = Table(table.header + table.body, colWidths=table.widths,
                       rowHeights=[None, None, *table.heights], repeatRows=2)  # fmt: skip
        single.setStyle(REFERENCE_STYLE)
        return single

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "_kartu_table", one_table)
        reference = documents.write_kartu(tmp / "single", kartu, letter)[0]
    return paged, reference


def test_kartu_pages_break_where_one_reportlab_table_breaks_them(kartu_and_reference):
    """The Kartu is drawn a page at a time (a single table re-measured every remaining row per page); the
    pages must hold the same rows, in the same text order, as a single table's (the line breaks a text
    extractor guesses differ: the body is one text object per page)."""
    paged, reference = kartu_and_reference
    assert len(pages(paged)) >= 5
    assert [flat(t) for t in pages(paged)] == [flat(t) for t in pages(reference)]


def test_kartu_drawn_by_hand_looks_as_one_reportlab_table(kartu_and_reference, tmp_path):
    """The body's text and grid are drawn straight, not by a Table: rendered, every page matches the
    reference's but for the pixel where the header's grid meets the body's."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("poppler (pdftoppm) is not installed")
    rendered = {}
    for name, path in zip(("paged", "reference"), kartu_and_reference, strict=True):
        subprocess.run([pdftoppm, "-r", "100", "-gray", path, tmp_path / name], check=True)
        rendered[name] = sorted(tmp_path.glob(f"{name}-*.pgm"))
    assert len(rendered["paged"]) == len(rendered["reference"]) >= 5
    for ours, theirs in zip(rendered["paged"], rendered["reference"], strict=True):
        a, b = (np.asarray(Image.open(p), dtype=int) for p in (ours, theirs))
        assert a.shape == b.shape
        differing = np.abs(a - b) > 16  # a grey level or two of anti-aliasing
        assert differing.sum() <= 2, (ours.name, int(differing.sum()))


def test_every_certificate_shows_each_field_label_once_whether_its_lines_wrap_or_not(tmp_path):
    """The labels of a certificate whose lines all fit come from a shared form; after a wrapped line they are
    drawn where the shifted fields are. Neither way may lose a label or draw it twice."""
    long_jabatan = (
        "Kepala Sub Bagian Perencanaan Program Evaluasi dan Pelaporan Keuangan Daerah Kabupaten Uji"
    )
    base = {
        "Perangkat Daerah": "Dinas Uji",
        "NIP": "198503122010012004",
        "Pangkat/Gol": "III/a",
        "Jabatan": "Analis",
        "Kegiatan": "Coaching",
        "Jumlah Sesi": 3,
        "Periode": "Januari - Maret",
        "JP": 6,
    }
    register = pd.DataFrame([
        {**base, "No Sertifikat": "001", "Nama": "Budi"},
        {**base, "No Sertifikat": "002", "Nama": LONG_NAME},
        {**base, "No Sertifikat": "003", "Nama": "Budi", "Jabatan": long_jabatan},
    ])  # fmt: skip
    letter = documents.Letter(load_instansi(None), "Dasar uji", 2025, dt.date(2025, 12, 31))
    texts = [flat(t) for t in pages(documents.write_certificates(tmp_path, register, letter)[0])]
    assert len(texts) == 3
    for text in texts:
        labels = ("NIP", "Pangkat/Golongan", "Jabatan", "Perangkat Daerah")
        assert [text.count(f"{label} :") for label in labels] == [1, 1, 1, 1]
