"""The OPD's own workbook with each finding's cell filled (red Kesalahan, yellow Peringatan) and commented.

The input is never touched: openpyxl loads it read-only-in-effect and saves to a new file; macros are not
carried over. Formats openpyxl cannot open (.xls, .ods) are rebuilt cell by cell from calamine's values.
The saved zip is rewritten with fixed timestamps so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import python_calamine as pc
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook

from pipeline.findings import KESALAHAN
from pipeline.write import FIXED_CREATED, atomic_path

FILLS = {
    KESALAHAN: PatternFill(fill_type="solid", start_color="FFFF9999", end_color="FFFF9999"),
    "Peringatan": PatternFill(fill_type="solid", start_color="FFFFFF99", end_color="FFFFFF99"),
}
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def write_marked_copy(source: Path, target: Path, report: pd.DataFrame) -> None:
    """`report` holds this file's findings in report form (Sheet, Baris, Kolom, Tingkat, Kode, Pesan)."""
    book = _load(source)
    cells = report[report["Sheet"].ne("")].copy()
    cells["cell"] = cells["Kolom"].where(cells["Kolom"].ne("") & cells["Baris"].gt(0), "A") + cells[
        "Baris"
    ].where(cells["Kolom"].ne("") & cells["Baris"].gt(0), 1).astype(str)
    for (sheet, cell), group in cells.groupby(["Sheet", "cell"], sort=True):
        if sheet not in book.sheetnames:
            continue
        target_cell = book[str(sheet)][str(cell)]
        level = KESALAHAN if group["Tingkat"].eq(KESALAHAN).any() else "Peringatan"
        target_cell.fill = FILLS[level]
        text = "\n".join(
            f"[{code}] {message}" for code, message in zip(group["Kode"], group["Pesan"], strict=True)
        )
        comment = Comment(text[:30000], "rekap-jp")
        comment.width, comment.height = 320, 40 + 18 * min(len(group), 10) + len(text) // 3
        target_cell.comment = comment
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
    """A plain copy of every sheet's values for formats openpyxl cannot read."""
    with source.open("rb") as handle:
        calamine = pc.CalamineWorkbook.from_filelike(handle)
    book = Workbook()
    book.remove(book.worksheets[0])
    for meta in calamine.sheets_metadata:
        ws = book.create_sheet(meta.name[:31])
        if meta.visible != pc.SheetVisibleEnum.Visible:
            ws.sheet_state = "hidden"
        for r, values in enumerate(
            calamine.get_sheet_by_name(meta.name).to_python(skip_empty_area=False), start=1
        ):
            for c, value in enumerate(values, start=1):
                if value == "" or value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value if not isinstance(value, dt.time) else str(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even "=..."
    if not book.sheetnames:
        book.create_sheet("Sheet1")
    return book


def _fix_zip_times(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            archive.writestr(fixed, data)
