"""Stage 6: the output workbooks, written with xlsxwriter directly (each cell once, formats made once).

Every workbook is written to a temporary file in the output folder and renamed into place. User text is
always written with write_string, so "=HYPERLINK(...)" stays text; workbook properties are fixed so the same
inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

EXCEL_MAX_ROWS = 1_048_576
FIXED_CREATED = dt.datetime(2000, 1, 1)
MAX_WIDTH = 60
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


@contextlib.contextmanager
def open_workbook(target: Path, constant_memory: bool = False) -> Iterator[Book]:
    with atomic_path(target) as temp:
        workbook = xlsxwriter.Workbook(str(temp), {**WORKBOOK_OPTIONS, "constant_memory": constant_memory})
        workbook.set_properties({"created": FIXED_CREATED, "author": "rekap-jp", "title": target.stem})
        book = Book(workbook)
        try:
            yield book
        finally:
            workbook.close()


@dataclass
class Book:
    workbook: xlsxwriter.Workbook

    def __post_init__(self) -> None:
        add = self.workbook.add_format
        self.header = add(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = add({"num_format": "@"})
        self.date = add({"num_format": "dd/mm/yyyy"})
        self.integer = add({"num_format": "0"})
        self.number = add({"num_format": "0.##"})
        self.percent = add({"num_format": '0.00"%"'})
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({"bold": True})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.left = add({"align": "left", "text_wrap": True, "valign": "top", "num_format": "@"})
        self.left_number = add({"align": "left"})

    def sheet(self, name: str) -> Worksheet:
        ws = self.workbook.add_worksheet(name)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide when printed
        return ws

    def table(
        self, name: str, frame: pd.DataFrame, percent: tuple[str, ...] = (), wrap: tuple[str, ...] = ()
    ) -> Worksheet:
        """One sheet holding `frame` with header row 1, frozen, filtered, sensible widths."""
        ws = self.sheet(name)
        write_frame(self, ws, frame, 0, percent=percent, wrap=wrap)
        ws.freeze_panes(1, 0)
        ws.repeat_rows(0)
        ws.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
        return ws


def _column_writer(
    book: Book, ws: Worksheet, series: pd.Series, percent: bool, wrap: bool
) -> tuple[list[Any], Callable[[int, int, Any], Any]]:
    """(values, writer) for one column: values prepared once, None where the cell stays empty."""
    kind = series.dtype.kind
    if kind == "M":
        values = [None if v is pd.NaT else v for v in series.dt.to_pydatetime()]
        return values, lambda r, c, v: ws.write_datetime(r, c, v, book.date)
    if kind in "iu":
        return series.tolist(), lambda r, c, v: ws.write_number(r, c, v, book.integer)
    if kind == "f" or isinstance(series.dtype, pd.Float64Dtype | pd.Int64Dtype):
        floats = series.astype("float64").to_numpy()
        values = [None if math.isnan(v) else float(v) for v in floats]
        fmt = book.percent if percent else book.number
        return values, lambda r, c, v: ws.write_number(r, c, v, fmt)
    fmt = book.wrap if wrap else book.text
    values = [
        None if (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))) else v for v in series
    ]
    return values, lambda r, c, v: _write_cell(ws, r, c, v, fmt, book)


def _write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: Any, book: Book) -> None:
    if isinstance(value, str):
        ws.write_string(row, col, value[:32767], fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, book.date)
    elif isinstance(value, bool | np.bool_):
        ws.write_string(row, col, "Ya" if value else "Tidak", fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        ws.write_number(row, col, float(value), book.number)
    else:
        ws.write_string(row, col, str(value), fmt)


def write_frame(
    book: Book,
    ws: Worksheet,
    frame: pd.DataFrame,
    first_row: int,
    first_col: int = 0,
    percent: tuple[str, ...] = (),
    wrap: tuple[str, ...] = (),
) -> int:
    """Write header + rows from (first_row, first_col); returns the next free row."""
    columns = [_column_writer(book, ws, frame[name], name in percent, name in wrap) for name in frame.columns]
    widths = [_width(frame[name], str(name), name in wrap) for name in frame.columns]
    heights = _row_heights(
        frame, [n for n in frame.columns if n in wrap], dict(zip(frame.columns, widths, strict=True))
    )
    for offset, name in enumerate(frame.columns):
        ws.write_string(first_row, first_col + offset, str(name), book.header)
    for i in range(len(frame)):
        row = first_row + 1 + i
        if heights is not None and heights[i] > 1:
            ws.set_row(row, 15 * heights[i])
        for offset, (values, writer) in enumerate(columns):
            value = values[i]
            if value is not None:
                writer(row, first_col + offset, value)
    for offset, width in enumerate(widths):
        ws.set_column(first_col + offset, first_col + offset, width)
    return first_row + 1 + len(frame)


def _row_heights(frame: pd.DataFrame, wrapped: list[str], widths: dict[str, float]) -> list[int] | None:
    """Lines each row needs so wrapped text shows whole (Excel does not size rows written by xlsxwriter)."""
    if not wrapped or not len(frame):
        return None
    lines = [
        np.ceil(
            frame[name].astype("string").str.len().fillna(0).to_numpy(dtype=float) / max(widths[name] - 3, 1)
        )
        for name in wrapped
    ]
    return np.maximum.reduce(lines).astype(int).tolist()


def _width(series: pd.Series, header: str, wrap: bool) -> float:
    sample = series.iloc[:2000]
    if sample.dtype.kind == "M":
        longest = 10
    elif sample.dtype.kind == "f":
        longest = max((len(f"{v:.2f}".rstrip("0").rstrip(".")) for v in sample.dropna()), default=1)
    else:
        lengths = sample.astype("string").str.len()
        longest = 0 if lengths.isna().all() else int(lengths.max())
    header_need = min(len(header), 24) if len(header) > 12 else len(header)
    width = max(longest, header_need) + 2
    return float(min(width, 45 if wrap else MAX_WIDTH))


def write_key_values(book: Book, ws: Worksheet, pairs: list[tuple[str, Any]], first_row: int) -> int:
    for offset, (label, value) in enumerate(pairs):
        row = first_row + offset
        if isinstance(value, str) and len(value) > 60:
            ws.set_row(row, 15 * math.ceil(len(value) / 45))
        ws.write_string(row, 0, label, book.bold)
        if isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(row, 1, value, book.left_number)
        else:
            _write_cell(ws, row, 1, value, book.left, book)
    return first_row + len(pairs)


def split_rows(frame: pd.DataFrame, limit: int = EXCEL_MAX_ROWS - 1) -> list[pd.DataFrame]:
    """Chunks that fit one sheet each (the header takes a row)."""
    if len(frame) <= limit:
        return [frame]
    return [frame.iloc[start : start + limit] for start in range(0, len(frame), limit)]


def continuation_names(base: str, count: int) -> list[str]:
    return [base if i == 0 else f"{base} ({i + 1})" for i in range(count)]
