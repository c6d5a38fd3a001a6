"""Stage 6: the output workbooks, written with xlsxwriter directly (each cell once, formats made once).

Every workbook is written to a temporary file in the output folder and renamed into place. User text is
always written with write_string, so "=HYPERLINK(...)" stays text; workbook properties are fixed so the same
inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline.excel import MAX_ROWS, MAX_TEXT, column_kind, dated, serial_days
from pipeline.sheetxml import Body, Styles, splice
from pipeline.terms import BELUM, OUTPUT_MARK, STATUS_COLUMN, TERPENUHI

FIXED_CREATED = dt.datetime(2000, 1, 1)
# Above this many rows a workbook is written in xlsxwriter's constant_memory mode (rows flushed as written):
# slower per cell, but memory stays flat at a million rows.
CONSTANT_MEMORY_ROWS = 300_000
# A table this long is written by pipeline.sheetxml (vectorised, spliced in after close), not cell by cell.
SPLICE_ROWS = 100
MAX_WIDTH = 60
# Column-width units that still print legibly on one landscape A4 page when fitted to its width.
PRINTABLE_WIDTH = 170
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
        os.chmod(temp, ordinary_file_mode())  # mkstemp makes 0600: colleagues could not open the recap
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


@functools.cache
def ordinary_file_mode() -> int:
    """The mode a plain new file gets here: 0666 minus the umask (read once; os.umask is the only way)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def open_workbook(
    target: Path, constant_memory: bool = False, own_output: bool = True, title: str | None = None
) -> Iterator[Book]:
    """An xlsxwriter workbook written atomically to `target`. `own_output` marks it in its properties as
    something this program wrote, so a later run never reads it as a submission (the template is not)."""
    with atomic_path(target) as temp:
        workbook = xlsxwriter.Workbook(str(temp), {**WORKBOOK_OPTIONS, "constant_memory": constant_memory})
        properties = {"created": FIXED_CREATED, "author": "rekap-jp", "title": title or target.stem}
        workbook.set_properties({**properties, "comments": OUTPUT_MARK} if own_output else properties)
        book = Book(workbook)
        try:
            yield book
        finally:
            styles = book.styles() if book.bodies else None
            workbook.close()
        if styles is not None:
            splice(temp, book.bodies, styles)


@dataclass
class Book:
    workbook: xlsxwriter.Workbook
    widths: dict[tuple[str, int], float] = field(default_factory=dict)  # (sheet, column) -> width set
    bodies: list[Body] = field(default_factory=list)  # large tables' rows, spliced in after close

    def __post_init__(self) -> None:
        add = self.workbook.add_format
        # Every cell sits at the top: beside a wrapped cell several lines tall, a row reads as one line.
        top = {"valign": "top"}
        self.header = add({**top, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        # Text is indented one step so it never sits flush against a right-aligned number ("20Terpenuhi").
        self.text = add({**top, "num_format": "@", "indent": 1})
        self.date = add({**top, "num_format": "dd/mm/yyyy"})
        self.integer = add({**top, "num_format": "0"})
        # General: 20 stays "20", 28.8 stays "28.8" ("0.##" showed "20." with a trailing point)
        self.number = add({**top, "num_format": "General"})
        self.percent = add({**top, "num_format": "0.00%"})
        self.left_percent = add({"num_format": "0.00%", "align": "left"})
        self.met = add({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.short = add({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({**top, "bold": True})
        self.wrap = add({**top, "text_wrap": True, "indent": 1})
        self.left = add({**top, "align": "left", "text_wrap": True, "num_format": "@"})
        self.left_number = add({"align": "left"})

    def styles(self) -> Styles:
        """The xf index of each format a spliced cell can take (assigned now, so styles.xml lists them)."""
        index = {name: getattr(self, name)._get_xf_index() for name in ("text", "wrap", "date", "integer",
                 "number", "percent")}  # fmt: skip
        return Styles(**index)

    def sheet(self, name: str, fit_width: bool = True) -> Worksheet:
        ws = self.workbook.add_worksheet(name)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        if fit_width:
            ws.fit_to_pages(1, 0)  # one page wide when printed
        return ws

    def table(
        self, name: str, frame: pd.DataFrame, percent: tuple[str, ...] = (), wrap: tuple[str, ...] = (),
        notes: dict[str, str] | None = None, narrow: bool = False,
    ) -> Worksheet:  # fmt: skip
        """One sheet holding `frame` with header row 1, frozen, filtered, sensible widths; `notes`: a note
        (comment) on the header cell of these columns; `narrow`: the wrapped columns are narrowed (their rows
        grow taller) so that the sheet prints one page wide, a row on one sheet of paper."""
        widths = [_width(frame[c], str(c), c in wrap) for c in frame.columns]
        if narrow:
            widths = narrowed(widths, [c in wrap for c in frame.columns])
        # Fit to one page wide only when that stays legible; wider sheets print across pages at 100%.
        ws = self.sheet(name, fit_width=sum(widths) <= PRINTABLE_WIDTH)
        write_frame(self, ws, frame, 0, percent=percent, wrap=wrap, widths=widths)
        ws.freeze_panes(1, 0)
        ws.repeat_rows(0)
        ws.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
        self.colour_status(ws, frame)
        for col, column in enumerate(frame.columns):
            if notes and column in notes:
                ws.write_comment(0, col, notes[column], {"x_scale": 2.5, "y_scale": 1.2})
        return ws

    def colour_status(self, ws: Worksheet, frame: pd.DataFrame) -> None:
        """Status 20 JP cells: Terpenuhi green, Belum Terpenuhi red (conditional, so edits keep colouring)."""
        for col, name in enumerate(frame.columns):
            if not str(name).startswith(STATUS_COLUMN) or not len(frame):
                continue
            for value, fmt in ((TERPENUHI, self.met), (BELUM, self.short)):
                ws.conditional_format(
                    1,
                    col,
                    len(frame),
                    col,
                    {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt},
                )


Writer = Callable[[int, int, Any, Any], Any]


@dataclass
class _Column:
    """One column prepared once: its values (None = empty cell), the bound writer and the format."""

    values: list[Any]
    write: Writer
    fmt: Any


def _excel_serial(dates: pd.Series) -> list[Any]:
    """datetime64 -> Excel serial days (vectorised), None where empty."""
    return [None if math.isnan(v) else v for v in serial_days(dates).tolist()]


def _date_or_text_column(
    book: Book, series: pd.Series, write_number: Writer, write_string: Writer, text_fmt: Any
) -> _Column:
    """A column of dates where a cell holds a date and the user's own text where it holds text."""
    serial = _excel_serial(pd.to_datetime(series.where(dated(series)), errors="coerce"))
    values = [
        d if d is not None else (v if isinstance(v, str) else None)
        for d, v in zip(serial, series, strict=True)
    ]

    def date_or_text(row: int, col: int, value: Any, fmt: Any) -> None:
        if value.__class__ is str:
            write_string(row, col, value[:MAX_TEXT], text_fmt)
        else:
            write_number(row, col, value, book.date)

    return _Column(values, date_or_text, None)


def _plan_column(book: Book, ws: Worksheet, series: pd.Series, percent: bool, wrap: bool) -> _Column:
    # xlsxwriter's public write_* wrap these in an argument converter; a cell costs ~30% less without it.
    write_number: Writer = ws._write_number
    write_string: Writer = ws._write_string
    kind = column_kind(series)
    if kind == "date":
        return _Column(_excel_serial(series), write_number, book.date)
    if kind == "integer":
        return _Column(
            [None if v is pd.NA else float(v) for v in series.tolist()], write_number, book.integer
        )
    if kind == "number":
        floats = series.astype("float64").tolist()
        return _Column(
            [None if math.isnan(v) else v for v in floats],
            write_number,
            book.percent if percent else book.number,
        )
    text_fmt = book.wrap if wrap else book.text
    if kind == "text":
        text = series.astype("string").str.slice(0, MAX_TEXT)
        return _Column([None if v is pd.NA else v for v in text.tolist()], write_string, text_fmt)
    if kind == "date_or_text":
        return _date_or_text_column(book, series, write_number, write_string, text_fmt)

    def mixed(row: int, col: int, value: Any, fmt: Any) -> None:
        _write_cell(ws, row, col, value, fmt, book)

    values = [None if (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))) else v
              for v in series.tolist()]  # fmt: skip
    return _Column(values, mixed, text_fmt)


def _write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: Any, book: Book) -> None:
    if isinstance(value, str):
        ws.write_string(row, col, value[:MAX_TEXT], fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, book.date)
    elif isinstance(value, bool | np.bool_):
        ws.write_string(row, col, "Ya" if value else "Tidak", fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        ws.write_number(row, col, float(value), book.number)
    else:
        ws.write_string(row, col, str(value), fmt)


def write_frame(
    book: Book, ws: Worksheet, frame: pd.DataFrame, first_row: int, first_col: int = 0,
    percent: tuple[str, ...] = (), wrap: tuple[str, ...] = (), widths: list[float] | None = None,
) -> int:  # fmt: skip
    """Write header + rows from (first_row, first_col), row by row (constant_memory allows no other order)."""
    widths = widths or [_width(frame[name], str(name), name in wrap) for name in frame.columns]
    heights = _row_heights(
        frame, [n for n in frame.columns if n in wrap], dict(zip(frame.columns, widths, strict=True))
    )
    for offset, name in enumerate(frame.columns):
        ws.write_string(first_row, first_col + offset, str(name), book.header)
    if len(frame) >= SPLICE_ROWS and first_row == 0:
        # serialised column by column after close (pipeline.sheetxml): no Python call per cell
        book.bodies.append(Body(ws.index + 1, frame, first_row + 2, first_col, percent, wrap, heights))
        _set_widths(book, ws, first_col, widths)
        return first_row + 1 + len(frame)
    plans = [_plan_column(book, ws, frame[name], name in percent, name in wrap) for name in frame.columns]
    columns = [(first_col + offset, plan.values, plan.write, plan.fmt) for offset, plan in enumerate(plans)]
    for i in range(len(frame)):
        row = first_row + 1 + i
        if heights is not None and heights[i] > 1:
            ws.set_row(row, 15 * heights[i])
        for col, values, write, fmt in columns:
            value = values[i]
            if value is not None:
                write(row, col, value, fmt)
    _set_widths(book, ws, first_col, widths)
    return first_row + 1 + len(frame)


MIN_WRAPPED_WIDTH = 10.0


def narrowed(widths: list[float], wrapped: list[bool]) -> list[float]:
    """`widths` with the widest wrapped columns cut down to one common width (never below MIN_WRAPPED_WIDTH)
    until all add up to PRINTABLE_WIDTH; unchanged when they already fit or cannot be made to. Cutting the
    widest first keeps short values whole: an 18-digit NIP or a file name, not a message, stays on one line."""
    if sum(widths) <= PRINTABLE_WIDTH:
        return widths
    fixed = sum(w for w, wraps in zip(widths, wrapped, strict=True) if not wraps)
    flexible = [w for w, wraps in zip(widths, wrapped, strict=True) if wraps]
    for cap in range(math.floor(max(flexible, default=0)), math.ceil(MIN_WRAPPED_WIDTH) - 1, -1):
        if fixed + sum(min(w, cap) for w in flexible) <= PRINTABLE_WIDTH:
            return [min(w, cap) if wraps else w for w, wraps in zip(widths, wrapped, strict=True)]
    return widths


def _set_widths(book: Book, ws: Worksheet, first_col: int, widths: list[float]) -> None:
    for offset, width in enumerate(widths):
        # several tables on one sheet (Ringkasan) share columns: each column fits the widest of them
        col = first_col + offset
        book.widths[(ws.name, col)] = max(width, book.widths.get((ws.name, col), 0.0))
        ws.set_column(col, col, book.widths[(ws.name, col)])


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


class Percent(float):
    """A fraction written as a number with a percent format (0.7 shows as 70.00%)."""


def write_key_values(book: Book, ws: Worksheet, pairs: list[tuple[str, Any]], first_row: int) -> int:
    for offset, (label, value) in enumerate(pairs):
        row = first_row + offset
        if isinstance(value, str) and len(value) > 60:
            ws.set_row(row, 15 * math.ceil(len(value) / 45))
        ws.write_string(row, 0, label, book.bold)
        if isinstance(value, Percent):
            ws.write_number(row, 1, float(value), book.left_percent)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(row, 1, value, book.left_number)
        else:
            _write_cell(ws, row, 1, value, book.left, book)
    return first_row + len(pairs)


def split_rows(frame: pd.DataFrame, limit: int = MAX_ROWS - 1) -> list[pd.DataFrame]:
    """Chunks that fit one sheet each (the header takes a row)."""
    if len(frame) <= limit:
        return [frame]
    return [frame.iloc[start : start + limit] for start in range(0, len(frame), limit)]


def continuation_names(base: str, count: int) -> list[str]:
    return [base if i == 0 else f"{base} ({i + 1})" for i in range(count)]
