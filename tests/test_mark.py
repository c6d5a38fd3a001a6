"""The marked copy: patched at XML level when possible, openpyxl otherwise; the input never changes."""

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import coaching_row, submission
from openpyxl.comments import Comment

from pipeline import mark
from pipeline.xlsxpatch import Mark, PatchUnsupported, mark_xlsx

D = dt.date


def report(rows: list[tuple[str, int, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Sheet": s,
                "Baris": r,
                "Kolom": c,
                "Tingkat": t,
                "Kode": k,
                "Pesan": f"pesan {k}",
                "Saran Perbaikan": f"saran {k}",
                "Lingkup": "sel" if r > 0 and c else ("kolom" if r > 0 else "sheet"),
            }
            for s, r, c, t, k in rows
        ]
    )


def read_marks(path):
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate): (c.fill.fgColor.rgb, c.comment.text)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment
    }


def test_xml_patch_marks_existing_and_empty_cells_and_keeps_everything_else(tmp_path, monkeypatch):
    source = submission(
        tmp_path, "opd.xlsx", coaching=[coaching_row(D(2025, 3, 3)), coaching_row(D(2025, 3, 4))]
    )
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    monkeypatch.setattr(mark, "_mark_with_openpyxl", lambda *a: pytest.fail("fell back to openpyxl"))
    target = tmp_path / "ditandai.xlsx"
    findings = [("Coaching", 2, "C", "Kesalahan", "NIP_FORMAT"), ("Coaching", 2, "C", "Peringatan", "NAME_MISMATCH"),
                ("Coaching", 3, "P", "Peringatan", "EVIDENCE_MISSING"), ("Coaching", 9, "B", "Kesalahan", "DATE_INVALID"),
                ("Mentoring", 0, "", "Peringatan", "HEADER_NOT_FOUND")]  # fmt: skip
    mark.write_marked_copy(source, target, report(findings))
    marks = read_marks(target)
    assert marks[("Coaching", "C2")][0] == "FFFF9999"  # the worst level wins
    assert marks[("Coaching", "C2")][1] == (
        "pesan NIP_FORMAT\nSaran: saran NIP_FORMAT\n\npesan NAME_MISMATCH\nSaran: saran NAME_MISMATCH"
    )
    assert marks[("Coaching", "P3")][0] == "FFFFFF99"  # an empty cell, created
    assert ("Coaching", "B9") in marks  # a row that did not exist
    assert ("Mentoring", "A1") not in marks  # a finding about a whole sheet marks no cell
    wb = openpyxl.load_workbook(target)
    assert wb["Coaching"]["C2"].value == coaching_row(None)["nip_penerima"]
    assert wb["Coaching"]["B2"].number_format == "dd/mm/yyyy"
    assert wb["Coaching"].freeze_panes == "A2"
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before


def test_workbook_with_comments_falls_back_to_openpyxl(tmp_path):
    source = tmp_path / "lama.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Coaching"
    ws["A1"] = "Tanggal"
    ws["A1"].comment = Comment("catatan OPD", "opd")
    wb.save(source)
    with pytest.raises(PatchUnsupported):
        mark_xlsx(source, tmp_path / "x.xlsx", [Mark("Coaching", 2, "A", "Kesalahan", "x")])
    target = tmp_path / "ditandai.xlsx"
    mark.write_marked_copy(source, target, report([("Coaching", 2, "A", "Kesalahan", "DATE_INVALID")]))
    marks = read_marks(target)
    assert marks[("Coaching", "A1")][1].startswith("catatan OPD")
    assert marks[("Coaching", "A2")][0] == "FFFF9999"


def test_macros_are_never_forwarded(tmp_path):
    source = submission(tmp_path, "opd.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    with_macro = tmp_path / "makro.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(with_macro, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"\x00macro")
    target = tmp_path / "ditandai.xlsx"
    mark.write_marked_copy(with_macro, target, report([("Coaching", 2, "C", "Kesalahan", "NIP_FORMAT")]))
    assert "xl/vbaProject.bin" not in zipfile.ZipFile(target).namelist()
    assert read_marks(target)[("Coaching", "C2")][0] == "FFFF9999"


def test_marks_inside_a_merged_range_move_to_its_top_left_and_combine():
    from pipeline.xlsxpatch import anchor_marks

    marks = [
        Mark("S", 5, "A", "Peringatan", "satu"),
        Mark("S", 4, "A", "Kesalahan", "dua"),
        Mark("S", 7, "C", "Peringatan", "tiga"),
    ]
    placed = anchor_marks(marks, [(4, 1, 5, 1), (1, 1, 1, 9)])  # A4:A5 and the title A1:I1
    assert placed == [Mark("S", 4, "A", "Kesalahan", "satu\n\ndua"), Mark("S", 7, "C", "Peringatan", "tiga")]


def test_a_two_row_header_without_bukti_gets_one_visible_note(tmp_path):
    import shutil

    from pipeline.cli import main

    inp = tmp_path / "bappeda"
    shutil.copytree(Path(__file__).resolve().parent.parent / "input_samples" / "kiriman_bappeda", inp)
    assert main(["validate", "--input", str(inp), "--output", str(tmp_path / "hasil")]) == 0
    marked = tmp_path / "hasil" / "periksa" / "bappeda" / "bappeda_coaching_2025_ditandai.xlsx"
    notes = {k: v for k, v in read_marks(marked).items() if "Kolom Bukti kosong." in v[1]}
    assert list(notes) == [("Lap. Coaching 2025", "A4")]  # the anchor of the merged A4:A5 "NO." cell
    assert notes[("Lap. Coaching 2025", "A4")][1].startswith("Kolom Bukti tidak ditemukan di sheet ini (")


def test_cells_are_restyled_by_their_tag_whatever_text_or_spacing_the_row_has():
    """A marked cell is found by its reference in a cell's tag: not in a cell's text that happens to read
    like one, with a tab before `r`, or missing (created in column order, also before an existing cell);
    only the row's own `spans` goes, and only the marked cells' styles change."""
    from pipeline.xlsxpatch import _restyle

    sheet = (
        '<worksheet><sheetData><row r="5" spans="1:4">'
        '<c r="A5" t="inlineStr"><is><t>x r="C5" spans="2"</t></is></c>'
        '<c\tr="B5" s="2"><v>1</v></c><c r="D5" s="3"/><c r="C5"><v>7</v></c></row>'
        '<row r="6"><c r="A6" t="inlineStr"><is><t> spans="9"</t></is></c><c r="E6" s="1"/></row>'
        "</sheetData></worksheet>"
    )
    levels = {(5, "C"): "Kesalahan", (5, "B"): "Peringatan", (6, "B"): "Kesalahan", (7, "A"): "Kesalahan"}
    patched = _restyle(sheet, levels, lambda style, level: 10 * style + len(level))
    assert patched == (
        '<worksheet><sheetData><row r="5">'
        '<c r="A5" t="inlineStr"><is><t>x r="C5" spans="2"</t></is></c>'
        '<c\tr="B5" s="30"><v>1</v></c><c r="D5" s="3"/><c r="C5" s="9"><v>7</v></c></row>'
        '<row r="6"><c r="A6" t="inlineStr"><is><t> spans="9"</t></is></c><c r="B6" s="9"/><c r="E6" s="1"/></row>'
        '<row r="7"><c r="A7" s="9"/></row></sheetData></worksheet>'
    )


@pytest.mark.parametrize(
    ("stem", "marked"),
    [("dinkes", "dinkes_ditandai"), ("dinkes_ditandai", "dinkes_ditandai"),
     ("dinkes_DITANDAI_ditandai", "dinkes_ditandai"), ("_ditandai", "_ditandai_ditandai")],
)  # fmt: skip
def test_a_returned_marked_copy_keeps_its_name(stem, marked):
    assert mark.marked_stem(stem) == marked


def test_marked_names_never_collide_in_validasi():
    from pipeline.outputs import marked_names

    assert marked_names({"x.xlsx": "x", "y_ditandai.xlsx": "y_ditandai"}) == {
        "x.xlsx": "x_ditandai.xlsx",
        "y_ditandai.xlsx": "y_ditandai.xlsx",
    }
    # the original beside its returned marked copy: the returned one keeps its name
    assert marked_names({"x.xlsx": "x", "x_ditandai.xlsx": "x_ditandai"}) == {
        "x.xlsx": "x_asli_ditandai.xlsx",
        "x_ditandai.xlsx": "x_ditandai.xlsx",
    }


def _own_marks(tmp_path):
    """A submission with the OPD's own comment and fill, then marked once by this program."""
    source = submission(
        tmp_path, "opd.xlsx", coaching=[coaching_row(D(2025, 3, 3)), coaching_row(D(2025, 3, 4))]
    )
    book = openpyxl.load_workbook(source)
    book["Coaching"]["I2"].comment = Comment("catatan OPD", "Bu Sari")
    book["Coaching"]["I3"].fill = openpyxl.styles.PatternFill(
        "solid", start_color="FF00B0F0", end_color="FF00B0F0"
    )
    book.save(source)
    first = tmp_path / "opd_ditandai.xlsx"
    mark.write_marked_copy(
        source,
        first,
        report([("Coaching", 2, "C", "Kesalahan", "NIP_FORMAT"), ("Coaching", 3, "B", "Peringatan", "X")]),
    )
    return first


def test_a_workbook_this_program_marked_is_known_by_its_comments_or_its_name(tmp_path):
    first = _own_marks(tmp_path)
    renamed = tmp_path / "kiriman.xlsx"
    renamed.write_bytes(first.read_bytes())
    assert mark.was_marked(renamed)
    assert mark.was_marked(tmp_path / "apa_saja_Ditandai.xlsx")
    assert not mark.was_marked(tmp_path / "opd.xlsx")


def test_a_returned_marked_copy_loses_last_rounds_marks_and_keeps_the_opds_own(tmp_path):
    first = _own_marks(tmp_path)
    returned = tmp_path / "kiriman.xlsx"
    returned.write_bytes(first.read_bytes())
    target = tmp_path / "baru.xlsx"
    mark.write_marked_copy(returned, target, report([("Coaching", 3, "D", "Kesalahan", "NIP_FORMAT")]))
    book = openpyxl.load_workbook(target)
    ws = book["Coaching"]
    comments = {
        c.coordinate: (c.comment.author, c.comment.text) for row in ws.iter_rows() for c in row if c.comment
    }
    assert comments == {
        "I2": ("Bu Sari", "catatan OPD"),
        "D3": ("rekap-jp", "pesan NIP_FORMAT\nSaran: saran NIP_FORMAT"),
    }
    assert ws["C2"].fill.fill_type is None and ws["B3"].fill.fill_type is None  # last round's, gone
    assert ws["D3"].fill.fgColor.rgb == "FFFF9999"
    assert ws["I3"].fill.fgColor.rgb == "FF00B0F0"  # the OPD's own colour stays
