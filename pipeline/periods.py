"""Report periods as sets of calendar months: what Identitas › Periode states, what a file's session dates
span, and how a set of months reads in Indonesian ("Januari–Juni dan Oktober 2025").

A month is one integer, year * 12 + (month - 1), so a period is a frozenset of them and comparing periods
is set arithmetic. Pure functions over a few values per file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pandas as pd

from pipeline.normalise import MONTHS
from pipeline.terms import MONTH_NAMES
from pipeline.textnorm import clean_scalar

Period = frozenset[int]

_HALVES = {"i": 1, "1": 1, "ii": 2, "2": 2}
_QUARTERS = {"i": 1, "1": 1, "ii": 2, "2": 2, "iii": 3, "3": 3, "iv": 4, "4": 4}
_YEAR_WORDS = frozenset({"tahun", "anggaran", "ta", "periode", "laporan", "satu", "penuh"})  # "Tahun 2025"
_WORD = re.compile(r"[a-z]+|\d+")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b")


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def months_between(first: int, last: int) -> Period:
    return frozenset(range(first, last + 1))


def whole_year(year: int) -> Period:
    return months_between(month_index(year, 1), month_index(year, 12))


def parse_period(text: object, year: int) -> Period | None:
    """The months a Periode cell states, or None when it states none that can be understood.

    "Januari–Desember 2025", "Semester II 2025", "Triwulan 3", "Juli 2025 s.d. Desember 2025",
    "01/07/2025 - 31/12/2025", "Tahun 2025", "2025". A period without a year is in `year`."""
    words = _WORD.findall(clean_scalar(text).casefold())
    if not words:
        return None
    stated = [int(w) for w in words if len(w) == 4 and w.isdigit() and 1990 <= int(w) <= 2100]
    in_year = stated[-1] if stated else year
    dates = _NUMERIC_DATE.findall(clean_scalar(text))
    if dates:
        ends = [month_index(int(y), int(m)) for _, m, y in dates if 1 <= int(m) <= 12]
        return _ordered(ends[0], ends[-1]) if ends else None
    for i, word in enumerate(words[:-1]):
        number = words[i + 1]
        if word == "semester" and number in _HALVES:
            first = month_index(in_year, 6 * _HALVES[number] - 5)
            return months_between(first, first + 5)
        if word in ("triwulan", "kuartal", "tw") and number in _QUARTERS:
            first = month_index(in_year, 3 * _QUARTERS[number] - 2)
            return months_between(first, first + 2)
    named = _named_months(words, in_year)
    if named:
        return _ordered(named[0], named[-1])
    if stated and all(w in _YEAR_WORDS or w.isdigit() for w in words):
        return whole_year(in_year)
    return None


def _named_months(words: list[str], year: int) -> list[int]:
    """Each month named in order, with the year written after it (else `year`)."""
    found: list[list[int]] = []  # [month, year or 0]
    for word in words:
        if word in MONTHS and not word.isdigit():
            found.append([MONTHS[word], 0])
        elif len(word) == 4 and word.isdigit():
            for entry in found:
                entry[1] = entry[1] or int(word)
    return [month_index(y or year, m) for m, y in found]


def _ordered(first: int, last: int) -> Period | None:
    return months_between(first, last) if first <= last else None


def span(dates: pd.Series) -> Period:
    """Every month from the earliest date's to the latest's (empty without dates)."""
    known = dates.dropna()
    if not len(known):
        return frozenset()
    first, last = known.min(), known.max()
    return months_between(month_index(first.year, first.month), month_index(last.year, last.month))


def months_of(dates: pd.Series) -> pd.Series:
    """The month index of each date (<NA> where there is no date)."""
    return (dates.dt.year * 12 + dates.dt.month - 1).astype("Int64")


def say_date(day: dt.date) -> str:
    """A date as letters write it: "15 Januari 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def say_dates(first: dt.date, last: dt.date) -> str:
    """One day as a date; a period as "3 Februari s.d. 17 Desember 2025" (the year once when it is one)."""
    if first == last:
        return say_date(first)
    start = say_date(first) if first.year != last.year else f"{first.day} {MONTH_NAMES[first.month - 1]}"
    return f"{start} s.d. {say_date(last)}"


def say_months(months: Iterable[int]) -> str:
    """A set of months in words: runs of consecutive months as "Juli–Desember 2025", joined with "dan"."""
    runs: list[tuple[int, int]] = []
    for month in sorted(set(months)):
        if runs and month == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    one_year = len({m // 12 for run in runs for m in run}) == 1
    texts = [_say_run(first, last, with_year=not one_year) for first, last in runs]
    if one_year:
        texts[-1] += f" {runs[-1][1] // 12}"
    if len(texts) <= 1:
        return "".join(texts)
    return ", ".join(texts[:-1]) + " dan " + texts[-1]


def _say_run(first: int, last: int, with_year: bool) -> str:
    """One run of months; the year after each month only when the months are not all of one year."""
    (y0, m0), (y1, m1) = divmod(first, 12), divmod(last, 12)
    if not with_year:
        return MONTH_NAMES[m0] if first == last else f"{MONTH_NAMES[m0]}–{MONTH_NAMES[m1]}"
    if first == last:
        return f"{MONTH_NAMES[m0]} {y0}"
    if y0 == y1:
        return f"{MONTH_NAMES[m0]}–{MONTH_NAMES[m1]} {y1}"
    return f"{MONTH_NAMES[m0]} {y0}–{MONTH_NAMES[m1]} {y1}"
