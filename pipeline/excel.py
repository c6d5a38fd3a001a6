"""What Excel itself fixes, in one place: the day its serial numbers count from, the rows a sheet holds, the
characters a cell holds, how its columns are lettered; and how this program stores a member of the zip an
.xlsx is."""

from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd

# zlib level of the zip members this program compresses itself (large sheets, marked copies). Measured on
# the 200k-row recap's 212 MB detail sheet: level 6 (zlib's default) 2.8 s and 15.8 MB, level 3 1.0 s and
# 18.1 MB, level 1 0.75 s and 21.3 MB (docs/decisions.md).
COMPRESS_LEVEL = 3


def zip_member(
    name: str, date_time: tuple[int, int, int, int, int, int], external_attr: int = 0
) -> zipfile.ZipInfo:
    """A member of a workbook this program zips itself (spliced sheets, marked copies): deflated at
    COMPRESS_LEVEL, with the fixed time it is given, so the same inputs give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = external_attr
    info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]  # Python 3.11's name; writestr keeps it
    return info


EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767


def serial_days(dates: pd.Series) -> pd.Series:
    """datetime64 -> Excel serial days as float64 (NaN where empty)."""
    return ((dates - EXCEL_EPOCH) / pd.Timedelta(days=1)).astype("float64")


def dated(series: pd.Series) -> pd.Series:
    """Which values of an object column are dates (pandas, datetime or date)."""
    return series.map(type).isin([pd.Timestamp, dt.datetime, dt.date])


def column_kind(series: pd.Series) -> str:
    """How a column's cells are written, by both writers (pipeline.write cell by cell, pipeline.sheetxml by
    column): "date", "integer", "number", "text", "date_or_text" (Detail Kegiatan > Tanggal: the date where it
    parsed, the typed text where it did not) or "mixed" (each value by its own type)."""
    kind = series.dtype.kind
    if kind == "M":
        return "date"
    if kind in "iu":
        return "integer"
    if kind == "f" or isinstance(series.dtype, pd.Float64Dtype | pd.Int64Dtype):
        return "number"
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return "text"
    dates = dated(series)
    if dates.any() and (dates | series.map(type).isin([str]) | series.isna()).all():
        return "date_or_text"
    return "mixed"


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': the letters of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28: the inverse of column_letter (1-based)."""
    value = 0
    for char in letters:
        value = value * 26 + ord(char) - 64
    return value
