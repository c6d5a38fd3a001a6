"""The rows of a large sheet as SpreadsheetML, built column by column with Arrow compute (no Python call
per cell), then spliced into the workbook xlsxwriter wrote with that sheet's header row, styles, widths,
frozen pane and filter.

xlsxwriter spends ~2 µs of Python per cell; at 200k rows x 15 columns that was two thirds of a run. Here a
column is serialised once: its values cast to text by Arrow, escaped, wrapped in `<c>` tags and joined into
`<row>`s in C, 50,000 rows at a time, streamed into the zip. The cells are exactly those xlsxwriter writes in
constant_memory mode (inline strings, `%.16G`-equivalent numbers, dates as serial numbers with the date
style), so readers see the same values and types (tests compare with openpyxl and python-calamine).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter.utility import xl_col_to_name

from pipeline.excel import EXCEL_EPOCH, MAX_TEXT, column_kind, dated, serial_days, zip_member

CHUNK_ROWS = 50_000
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f]"
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)1(?::[A-Z]+\d+)?"/>')


@dataclass(frozen=True)
class Styles:
    """xlsxwriter's xf index of each cell format a column can take."""

    text: int
    wrap: int
    date: int
    integer: int
    number: int
    percent: int


@dataclass
class Body:
    """The data rows of one sheet, to be spliced under its header row after xlsxwriter has closed."""

    sheet: int  # 1-based position: xl/worksheets/sheet<N>.xml
    frame: pd.DataFrame
    first_row: int  # Excel row number of the first data row
    first_col: int
    percent: tuple[str, ...]
    wrap: tuple[str, ...]
    heights: list[int] | None  # lines per row where wrapped text needs more than one


def splice(path: Path, bodies: list[Body], styles: Styles) -> None:
    """Rewrite the workbook at `path` with each body's rows inside its sheet's <sheetData>."""
    by_member = {f"xl/worksheets/sheet{b.sheet}.xml": b for b in bodies}
    temp = path.with_name(path.name + ".rows")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            copy = zip_member(info.filename, info.date_time, info.external_attr)
            data = source.read(info)
            body = by_member.get(info.filename)
            if body is None:
                target.writestr(copy, data)
                continue
            head, tail = _split(data, body)
            with target.open(copy, "w") as handle:
                handle.write(head)
                for chunk in rows_xml(body, styles):
                    handle.write(chunk)
                handle.write(tail)
    shutil.move(temp, path)


def _split(sheet_xml: bytes, body: Body) -> tuple[bytes, bytes]:
    """The sheet's XML before and after where the rows go, with <dimension> covering them."""
    last_col = xl_col_to_name(body.first_col + len(body.frame.columns) - 1)
    last_row = body.first_row + len(body.frame) - 1
    if len(body.frame):
        sheet_xml = _DIMENSION.sub(
            lambda m: f'<dimension ref="{m.group(1).decode()}1:{last_col}{last_row}"/>'.encode(),
            sheet_xml,
            count=1,
        )
    at = sheet_xml.index(b"</sheetData>") if b"</sheetData>" in sheet_xml else -1
    if at < 0:  # an empty sheet is written <sheetData/>
        at = sheet_xml.index(b"<sheetData/>")
        return sheet_xml[:at] + b"<sheetData>", b"</sheetData>" + sheet_xml[at + len(b"<sheetData/>") :]
    return sheet_xml[:at], sheet_xml[at:]


def rows_xml(body: Body, styles: Styles) -> Iterator[memoryview]:
    for start in range(0, len(body.frame), CHUNK_ROWS):
        chunk = body.frame.iloc[start : start + CHUNK_ROWS]
        numbers = np.arange(body.first_row + start, body.first_row + start + len(chunk))
        refs = pa.array(numbers.astype(str))
        cells = [
            column_cells(chunk[name], xl_col_to_name(body.first_col + i), refs, styles, name in body.percent,
                         name in body.wrap)
            for i, name in enumerate(chunk.columns)
        ]  # fmt: skip
        heights = None if body.heights is None else body.heights[start : start + len(chunk)]
        row = pc.binary_join_element_wise('<row r="', refs, '"', _height_attributes(heights), ">",
                                          *cells, "</row>", "")  # fmt: skip
        yield _bytes(row)


def _height_attributes(heights: list[int] | None) -> pa.Array | str:
    """xlsxwriter's set_row(row, 15 * lines): ht in points and customHeight, where a row needs more lines."""
    if heights is None:
        return ""
    lines = np.asarray(heights)
    text = np.char.add(np.char.add(' ht="', (lines * 15).astype(str)), '" customHeight="1"')
    return pa.array(np.where(lines > 1, text, ""))


def _bytes(strings: pa.Array) -> memoryview:
    """The UTF-8 of every string of a null-free string array, back to back (zero-copy)."""
    array = strings.cast(pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)
    start, end = offsets[array.offset], offsets[array.offset + len(array)]
    return memoryview(array.buffers()[2])[start:end]


def column_cells(
    series: pd.Series, letter: str, refs: pa.Array, styles: Styles, percent: bool, wrap: bool
) -> pa.Array:
    """`<c>` per row ("" where the cell is empty), typed as pipeline.write plans the same column."""
    kind = column_kind(series)
    if kind == "date":
        return _number_cells(_serial(series), letter, refs, styles.date)
    if kind == "integer":
        values = pa.array(series.astype("Int64"), type=pa.int64(), from_pandas=True)  # <NA>: an empty cell
        return _number_cells(values.cast(pa.string()), letter, refs, styles.integer)
    if kind == "number":
        values = pa.array(series.astype("float64").to_numpy(), from_pandas=True).cast(pa.string())
        return _number_cells(values, letter, refs, styles.percent if percent else styles.number)
    text_style = styles.wrap if wrap else styles.text
    if kind == "text":
        return _text_cells(series, letter, refs, text_style)
    if kind == "date_or_text":
        dates = dated(series)
        serial = _number_cells(_serial(pd.to_datetime(series.where(dates), errors="coerce")), letter, refs,
                               styles.date)  # fmt: skip
        text = _text_cells(series.where(series.map(type).isin([str])), letter, refs, text_style)
        return pc.if_else(pa.array(dates.to_numpy()), serial, text)
    return _mixed_cells(series, letter, refs, styles, text_style)


def _serial(dates: pd.Series) -> pa.Array:
    return pa.array(serial_days(dates).to_numpy(), from_pandas=True).cast(pa.string())


def _number_cells(values: pa.Array, letter: str, refs: pa.Array, style: int) -> pa.Array:
    cells = pc.binary_join_element_wise(f'<c r="{letter}', refs, f'" s="{style}"><v>', values, "</v></c>", "")
    return cells.fill_null("")


def _text_cells(series: pd.Series, letter: str, refs: pa.Array, style: int) -> pa.Array:
    text = pa.array(series.astype("string"), type=pa.string(), from_pandas=True)
    if isinstance(text, pa.ChunkedArray):  # pandas' Arrow-backed strings come chunked
        text = text.combine_chunks()
    return _text_array_cells(text, letter, refs, style)


def _text_array_cells(text: pa.Array, letter: str, refs: pa.Array, style: int) -> pa.Array:
    escaped = escape_text(text)
    opening = f'<c r="{letter}'
    middle = f'" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
    return pc.binary_join_element_wise(opening, refs, middle, escaped, "</t></is></c>", "").fill_null("")


def escape_text(text: pa.Array) -> pa.Array:
    """What xlsxwriter does to a string: at most 32,767 characters, "_xHHHH_" literals and control
    characters escaped Excel's way, then & < > as XML."""
    if (pc.max(pc.utf8_length(text)).as_py() or 0) > MAX_TEXT:
        text = pc.utf8_slice_codeunits(text, 0, MAX_TEXT)
    if pc.any(pc.match_substring(text, "_x")).as_py():
        text = pc.replace_substring_regex(text, r"(_x[0-9a-fA-F]{4}_)", r"_x005F\1")
    if pc.any(pc.match_substring_regex(text, _CONTROL)).as_py():
        for code in [*range(0, 9), 11, 12, *range(14, 32)]:
            text = pc.replace_substring(text, chr(code), f"_x{code:04X}_")
    if not pc.any(pc.match_substring_regex(text, "[&<>\ufffe\uffff]")).as_py():
        return text  # most columns (NIPs, names, dates as text): one pass instead of five
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, raw, entity)
    return pc.replace_substring(pc.replace_substring(text, "\ufffe", "_xFFFE_"), "\uffff", "_xFFFF_")


def _mixed_cells(series: pd.Series, letter: str, refs: pa.Array, styles: Styles, text_style: int) -> pa.Array:
    """A column of several Python types (rare in the large sheets): each value typed as pipeline.write's
    _write_cell types it (text, Ya/Tidak, a date, a number)."""
    typed = [_typed(v) for v in series.tolist()]
    numbers = pa.array([v if k == "n" else None for k, v in typed], type=pa.float64()).cast(pa.string())
    dates = pa.array([v if k == "d" else None for k, v in typed], type=pa.float64()).cast(pa.string())
    texts = pa.array([v if k == "t" else None for k, v in typed], type=pa.string())
    kinds = pa.array([k for k, _ in typed])
    return pc.if_else(
        pc.equal(kinds, "n"),
        _number_cells(numbers, letter, refs, styles.number),
        pc.if_else(
            pc.equal(kinds, "d"),
            _number_cells(dates, letter, refs, styles.date),
            _text_array_cells(texts, letter, refs, text_style),
        ),
    )


def _typed(value: object) -> tuple[str, object]:
    """("n", number) | ("d", Excel serial) | ("t", text) | ("", None) for an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "", None
    if isinstance(value, str):
        return "t", value
    if isinstance(value, bool | np.bool_):
        return "t", "Ya" if value else "Tidak"
    if isinstance(value, dt.date):
        return "d", (pd.Timestamp(value) - EXCEL_EPOCH) / pd.Timedelta(days=1)
    if isinstance(value, int | float | np.integer | np.floating):
        return "n", float(value)
    return "t", str(value)
