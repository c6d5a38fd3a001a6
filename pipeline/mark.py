"""The OPD's own workbook with each finding's cell filled (red Kesalahan, yellow Peringatan) and commented.

The input is never touched. An .xlsx is patched at XML level (pipeline.xlsxpatch): every format of the OPD's
file survives and the cost is one unzip/re-zip. Macro-enabled files, files that already carry comments and
formats openpyxl or calamine must rebuild (.xls, .ods, .csv) go through openpyxl; macros are never carried over.
Output zips get fixed timestamps so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import python_calamine as pc
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook

from pipeline.excel import zip_member
from pipeline.findings import KESALAHAN, PERINGATAN
from pipeline.read import csv_rows, csv_sheet_name
from pipeline.report import CELL, COLUMN
from pipeline.textnorm import visible
from pipeline.write import FIXED_CREATED, atomic_path
from pipeline.xlsxpatch import AUTHOR, FILL_RGB, ZIP_TIME, Mark, PatchUnsupported, anchor_marks, mark_xlsx

FILLS = {
    level: PatternFill(fill_type="solid", start_color=rgb, end_color=rgb) for level, rgb in FILL_RGB.items()
}
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_COMMENTS_PART = re.compile(r"xl/(?:comments/)?comments?[^/]*\.xml")  # Excel's, ours and openpyxl's
_AUTHORS_BYTES = 1 << 16  # the authors list opens a comments part


MARKED_SUFFIX = "_ditandai"  # a marked copy's name: <stem>_ditandai.xlsx


def marked_stem(stem: str) -> str:
    """The marked copy's stem: a returned marked copy keeps its name (x_ditandai, not x_ditandai_ditandai)."""
    base = stem
    while base.casefold().endswith(MARKED_SUFFIX) and len(base) > len(MARKED_SUFFIX):
        base = base[: -len(MARKED_SUFFIX)]
    return base + MARKED_SUFFIX


def write_marked_copy(
    source: Path, target: Path, report: pd.DataFrame, header_rows: dict[str, int] | None = None
) -> None:
    """`report` holds this file's findings in report form (Sheet, Baris, Kolom, Tingkat, Kode, Pesan,
    Saran Perbaikan); `header_rows` the header row of each sheet read (for findings about a missing column).
    A workbook an earlier round marked (sent back by the OPD) loses those marks first: openpyxl's route."""
    marks = cell_marks(report, header_rows or {})
    if source.suffix.lower() == ".xlsx" and not was_marked(source):
        try:
            with atomic_path(target) as temp:
                mark_xlsx(source, temp, marks)
            return
        except PatchUnsupported:
            pass  # the slower openpyxl route below
    _mark_with_openpyxl(source, target, marks)


def cell_marks(report: pd.DataFrame, header_rows: dict[str, int]) -> list[Mark]:
    """One mark per cell: the worst level, every message with its fix hint.

    A finding about a column the sheet does not have (Lingkup kolom, one per sheet and code) is marked on
    the first cell of the sheet's header row. Findings about a whole file or sheet mark nothing: the OPD
    reads them in its report (and a hidden sheet is not one it can see)."""
    cells = report[report["Lingkup"].eq(CELL)].assign(r=lambda f: f["Baris"], col=lambda f: f["Kolom"])
    header = report[report["Lingkup"].eq(COLUMN) & report["Sheet"].isin(list(header_rows))]
    if len(header):
        cells = pd.concat(
            [cells, header.assign(r=header["Sheet"].map(header_rows), col="A")], ignore_index=True
        )
    cells = cells.assign(
        note=(cells["Pesan"].astype(str) + "\nSaran: " + cells["Saran Perbaikan"].astype(str)).map(visible),
        bad=cells["Tingkat"].eq(KESALAHAN),
    )
    notes: dict[tuple[str, int, str], list[str]] = {}
    worst: dict[tuple[str, int, str], bool] = {}
    keys = zip(cells["Sheet"].astype(str), cells["r"].astype(int), cells["col"].astype(str), strict=True)
    for key, note, bad in zip(keys, cells["note"], cells["bad"], strict=True):  # one cell, many findings
        notes.setdefault(key, []).append(note)
        worst[key] = worst.get(key, False) or bool(bad)
    return [
        Mark(sheet, row, column, KESALAHAN if worst[sheet, row, column] else PERINGATAN,
             "\n\n".join(notes[sheet, row, column])[:30000])
        for sheet, row, column in sorted(notes)
    ]  # fmt: skip


def was_marked(source: Path) -> bool:
    """A copy this program marked and the OPD sent back: named so, or holding a comment by rekap-jp."""
    if source.stem.casefold().endswith(MARKED_SUFFIX):
        return True
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    needle = f"<author>{AUTHOR}</author>".encode()
    try:
        with zipfile.ZipFile(source) as archive:
            parts = [i for i in archive.infolist() if _COMMENTS_PART.fullmatch(i.filename)]
            return any(needle in _head(archive, info) for info in parts)
    except (zipfile.BadZipFile, OSError):
        return False


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as part:
        return part.read(_AUTHORS_BYTES)


def clear_marks(book: Workbook) -> None:
    """Take an earlier round's marks off: comments by rekap-jp and cells filled with rekap-jp's two fills.
    The OPD's own comments and fills of other colours stay."""
    ours = set(FILL_RGB.values())
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None
                if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb in ours:
                    cell.fill = PatternFill(fill_type=None)


def _mark_with_openpyxl(source: Path, target: Path, marks: list[Mark]) -> None:
    book = _load(source)
    if was_marked(source):
        clear_marks(book)
    for sheet in book.worksheets:
        ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges]
        others = [m for m in marks if m.sheet != sheet.title]
        marks = others + anchor_marks([m for m in marks if m.sheet == sheet.title], ranges)
    for mark in marks:
        if mark.sheet not in book.sheetnames:
            continue
        cell = book[mark.sheet][f"{mark.column}{mark.row}"]
        cell.fill = FILLS[mark.level]
        comment = Comment(mark.text, AUTHOR)
        comment.width, comment.height = 320, 60 + len(mark.text) // 3
        cell.comment = comment
    book.properties.created = FIXED_CREATED
    book.properties.modified = FIXED_CREATED
    book.properties.lastModifiedBy = "rekap-jp"
    with atomic_path(target) as temp:
        book.save(temp)
        _fix_zip_times(temp)


def _load(source: Path) -> Workbook:
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        return openpyxl.load_workbook(source, keep_vba=False, keep_links=False, rich_text=False)
    return _rebuild(source)


def _rebuild(source: Path) -> Workbook:
    """A plain copy of every sheet's values for formats openpyxl cannot read (.xls, .ods, .csv)."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for name, hidden, rows in _sheets_of(source):
        ws = book.create_sheet(name[:31])
        if hidden:
            ws.sheet_state = "hidden"
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value == "" or value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value if not isinstance(value, dt.time) else str(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even "=..."
    if not book.sheetnames:
        book.create_sheet("Sheet1")
    return book


def _sheets_of(source: Path) -> Iterator[tuple[str, bool, list[list[Any]]]]:
    """(name, hidden, rows) per sheet; a CSV file is one sheet named as the reader names it."""
    if source.suffix.lower() == ".csv":
        yield csv_sheet_name(source), False, list(csv_rows(source))
        return
    with source.open("rb") as handle:
        calamine = pc.CalamineWorkbook.from_filelike(handle)
    for meta in calamine.sheets_metadata:
        rows = calamine.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        yield meta.name, meta.visible != pc.SheetVisibleEnum.Visible, rows


def _fix_zip_times(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            fixed = zip_member(info.filename, ZIP_TIME, info.external_attr)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            archive.writestr(fixed, data)
