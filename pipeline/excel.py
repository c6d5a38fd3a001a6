"""What Excel itself fixes, in one place: the day its serial numbers count from, the rows a sheet holds, the
characters a cell holds."""

from __future__ import annotations

import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767


def serial_days(dates: pd.Series) -> pd.Series:
    """datetime64 -> Excel serial days as float64 (NaN where empty)."""
    return ((dates - EXCEL_EPOCH) / pd.Timedelta(days=1)).astype("float64")
