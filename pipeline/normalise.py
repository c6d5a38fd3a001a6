"""Stage 3: raw cells -> typed columns. Vectorised parsers; nothing here decides what is an error.

Each parser keeps enough of the original to report it: `<field>_text` is the cell as the user sees it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pipeline import layout, roster
from pipeline.excel import EXCEL_EPOCH
from pipeline.frames import contiguous
from pipeline.opds import KnownOpds
from pipeline.read import WorkbookData
from pipeline.terms import UNKNOWN_OPD
from pipeline.textnorm import clean_scalar
from pipeline.textnorm import clean_text as _clean_text

_DATE_TYPES = (dt.date, dt.datetime, pd.Timestamp)
_NUMBER_TYPES = (float, int, np.floating, np.integer)

MONTHS = {
    **dict.fromkeys(["januari", "jan", "january"], 1),
    **dict.fromkeys(["februari", "pebruari", "feb", "peb", "february"], 2),
    **dict.fromkeys(["maret", "mar", "march"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "jun", "june"], 6),
    **dict.fromkeys(["juli", "jul", "july"], 7),
    **dict.fromkeys(["agustus", "agu", "agt", "ags", "agst", "aug", "august"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "okt", "oct", "october"], 10),
    **dict.fromkeys(["november", "nopember", "nov", "nop"], 11),
    **dict.fromkeys(["desember", "des", "dec", "december"], 12),
}
_WEEKDAY = r"^(?:senin|selasa|rabu|kamis|jum'?at|jumat|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b[\s,]*"
_NUMERIC_DATE = r"^(\d{1,4})[/\-. ](\d{1,2})[/\-. ](\d{1,4})$"
_NAMED_DATE = r"^(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4}|\d{2})$"

_ROMAN = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
    "XI": 11,
    "XII": 12,
    "XIII": 13,
    "XIV": 14,
    "XV": 15,
    "XVI": 16,
    "XVII": 17,
}
_PNS_CODE = r"(?<![A-Z])(IV|III|II|I|[1-4])\s*[/\-. ]?\s*([A-E])(?![A-Z])"
_PPPK_CODE = r"^(?:PPPK\s*|GOL(?:ONGAN)?\.?\s*)*(XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I|1[0-7]|[1-9])$"
_RANK_NAMES = {
    "juru muda": "I/a",
    "juru muda tingkat i": "I/b",
    "juru": "I/c",
    "juru tingkat i": "I/d",
    "pengatur muda": "II/a",
    "pengatur muda tingkat i": "II/b",
    "pengatur": "II/c",
    "pengatur tingkat i": "II/d",
    "penata muda": "III/a",
    "penata muda tingkat i": "III/b",
    "penata": "III/c",
    "penata tingkat i": "III/d",
    "pembina": "IV/a",
    "pembina tingkat i": "IV/b",
    "pembina utama muda": "IV/c",
    "pembina utama madya": "IV/d",
    "pembina utama": "IV/e",
}
_MAX_LETTER = {1: "D", 2: "D", 3: "D", 4: "E"}


@dataclass
class Batch:
    """Everything read from one run's inputs, typed."""

    activities: pd.DataFrame
    evaluations: pd.DataFrame
    assessments: pd.DataFrame
    roster: pd.DataFrame | None
    layout: pd.DataFrame  # file, sheet, field, letter, header, header_row
    submissions: pd.DataFrame  # per workbook: file, opd, submitted, mtime, sha256, tahun, periode, ...
    file_findings: list[dict[str, object]]
    workbooks: list[WorkbookData]
    opds: KnownOpds = field(default_factory=lambda: KnownOpds(()))  # the run's OPD names (pipeline.opds)
    units: pd.DataFrame | None = None  # Peta Unor rows (uid -1, file, sheet, row, unor, opd as typed)


ParsedT = TypeVar("ParsedT", pd.Series, pd.DataFrame)


def per_unique(parse: Callable[[pd.Series], ParsedT]) -> Callable[[pd.Series], ParsedT]:
    """Run `parse` once per distinct cell value and broadcast the result (columns repeat a lot: grades,
    dates, scales, the same NIP in many rows). Empty cells share one slot."""

    @functools.wraps(parse)
    def wrapper(raw: pd.Series) -> ParsedT:
        found: tuple[Any, Any] = pd.factorize(raw.astype(object), use_na_sentinel=True)
        values = pd.Series([*found[1], ""], dtype=object)
        positions = np.where(found[0] < 0, len(values) - 1, found[0])
        return parse(values).iloc[positions].set_axis(raw.index)

    return wrapper


clean_text = per_unique(_clean_text)


def type_of(raw: pd.Series) -> pd.Series:
    return raw.map(type)


def is_number(raw: pd.Series) -> pd.Series:
    kinds = type_of(raw)
    return kinds.isin(_NUMBER_TYPES) & ~kinds.isin([bool])


@per_unique
def cell_text(raw: pd.Series) -> pd.Series:
    """The cell as the user sees it: numbers without '.0', dates as dd/mm/yyyy."""
    text = clean_text(raw)
    numbers = is_number(raw)
    if numbers.any():
        values = pd.to_numeric(raw[numbers], errors="coerce")
        whole = values.notna() & (values == values.round()) & (values.abs() < 1e16)
        text.loc[whole[whole].index] = values[whole].map("{:.0f}".format)
        big = values.notna() & (values.abs() >= 1e16)
        text.loc[big[big].index] = values[big].map("{:.15g}".format)
    dates = type_of(raw).isin(_DATE_TYPES)
    if dates.any():
        text.loc[dates] = pd.to_datetime(raw[dates].astype(object)).dt.strftime("%d/%m/%Y")
    return text


@per_unique
def parse_nip(raw: pd.Series) -> pd.DataFrame:
    """NIP columns: `nip` (18 digits or <NA>), `text`, `digits`, `numeric` (stored as a number, or text
    Excel wrote for one: "1.98001E+17" in a CSV keeps only the first digits)."""
    text = cell_text(raw)
    numeric = is_number(raw) | text.str.fullmatch(r"\d[.,]\d+\s*[eE]\+?\d+").fillna(False).astype(bool)
    digits = text.where(~numeric).str.replace(r"[\s.\-'’`‘_]", "", regex=True)
    valid = digits.str.fullmatch(r"[0-9]{18}").fillna(False).astype(bool)
    return pd.DataFrame(
        {"nip": digits.where(valid), "text": text, "digits": digits, "numeric": numeric}, index=raw.index
    )


@per_unique
def parse_dates(raw: pd.Series) -> pd.Series:
    """Dates as datetime64 (day precision); unparseable and empty cells are NaT. Day first, always."""
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
    kinds = type_of(raw)
    dates = kinds.isin(_DATE_TYPES)
    if dates.any():
        out.loc[dates] = pd.to_datetime(raw[dates].astype(object)).dt.floor("D").astype("datetime64[s]")
    numbers = is_number(raw)
    if numbers.any():
        serial = pd.to_numeric(raw[numbers], errors="coerce")
        serial = serial.where((serial >= 1) & (serial < 2958466))
        out.loc[numbers] = pd.to_datetime(np.floor(serial), unit="D", origin=EXCEL_EPOCH).astype(
            "datetime64[s]"
        )
    texts = kinds.isin([str])
    if texts.any():
        out.loc[texts] = parse_date_text(raw[texts])
    return out


def parse_date_text(raw: pd.Series) -> pd.Series:
    text = clean_text(raw).str.casefold()
    text = text.str.replace(_WEEKDAY, "", regex=True)
    text = text.str.replace(r"[\sT]+\d{1,2}[:.]\d{2}([:.]\d{2})?$", "", regex=True).str.strip()
    numeric = text.str.extract(_NUMERIC_DATE)
    year_first = numeric[0].str.len().eq(4)
    day = numeric[0].where(~year_first, numeric[2])
    year = numeric[2].where(~year_first, numeric[0])
    month = numeric[1].astype("Float64")
    named = text.str.extract(_NAMED_DATE)
    named_month = named[1].map(MONTHS)
    use_named = named_month.notna()
    day = day.where(~use_named, named[0]).astype("Float64")
    month = month.where(~use_named, named_month.astype("Float64"))
    year = year.where(~use_named, named[2])
    year_num = year.astype("Float64")
    year_num = year_num.where(year.str.len().ne(2), year_num + 2000)
    frame = pd.DataFrame({"year": year_num, "month": month, "day": day}).astype("float64")
    valid = frame.notna().all(axis=1) & frame["month"].between(1, 12) & frame["day"].between(1, 31)
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
    if valid.any():
        parsed.loc[valid] = pd.to_datetime(frame[valid].astype("int64"), errors="coerce").astype(
            "datetime64[s]"
        )
    return parsed


@per_unique
def parse_grade(raw: pd.Series) -> pd.DataFrame:
    """Pangkat/golongan: `scheme` (PNS/PPPK), `grade` (orderable number), `label` (III/a, IX), `known`."""
    text = clean_text(raw).str.upper()
    pns = text.str.extract(_PNS_CODE)
    major = pns[0].map(lambda v: _ROMAN.get(v) if isinstance(v, str) and not v.isdigit() else v)
    major = pd.to_numeric(major, errors="coerce")
    letter = pns[1]
    by_name = text.str.casefold().str.replace(r"\btk\.?\s*", "tingkat ", regex=True)
    by_name = by_name.str.replace(r"[^a-z ]", " ", regex=True).str.split().str.join(" ").map(_RANK_NAMES)
    name_parts = by_name.str.extract(r"^(IV|III|II|I)/([a-e])$")
    major = major.fillna(pd.to_numeric(name_parts[0].map(_ROMAN), errors="coerce"))
    letter = letter.fillna(name_parts[1].str.upper())
    pns_ok = major.notna() & letter.notna()
    pns_ok = (
        (pns_ok & letter.le(major.map(_MAX_LETTER).fillna("A"))).astype("boolean").fillna(False).astype(bool)
    )
    pppk = text.str.extract(_PPPK_CODE)[0]
    pppk_num = pd.to_numeric(
        pppk.map(lambda v: _ROMAN.get(v, v) if isinstance(v, str) else v), errors="coerce"
    )
    pppk_ok = (~pns_ok & pppk_num.between(1, 17)).astype("boolean").fillna(False).astype(bool)
    letter_value = letter.map(lambda v: ord(v) - 64 if isinstance(v, str) else np.nan)
    grade = (major * 10 + letter_value).where(pns_ok, pppk_num.where(pppk_ok))
    scheme = pd.Series(pd.NA, index=raw.index, dtype="string")
    scheme = scheme.mask(pns_ok, "PNS").mask(pppk_ok, "PPPK")
    return pd.DataFrame(
        {"text": clean_text(raw), "scheme": scheme, "grade": grade, "known": pns_ok | pppk_ok}
    )


@per_unique
def parse_scale(raw: pd.Series) -> pd.Series:
    text = clean_text(raw).str.casefold().fillna("")
    international = text.str.contains(r"inter|luar negeri|^int\.?$|^ln$", regex=True)
    return pd.Series(np.where(international, "Internasional", "Nasional"), index=raw.index, dtype="string")


@per_unique
def parse_mode(raw: pd.Series) -> pd.Series:
    text = clean_text(raw).str.casefold().fillna("")
    online = text.str.contains(r"daring|online|virtual|zoom|dalam jaringan", regex=True)
    return pd.Series(np.where(online, "Daring", "Luring"), index=raw.index, dtype="string")


def parse_number(raw: pd.Series) -> pd.Series:
    """One number per cell, or NaN: never the digits of several numbers glued together (parse_amount)."""
    return parse_amount(raw)["value"]


# How parse_amount read a cell (its `reading`): empty, a number as typed ("24", "24 JP", "24,5", "1.000"), one
# number taken from annotated text ("24 JP (3 hari)": NUMBER_READ), several numbers that do not say which is
# meant or no number at all ("3 x 8 JP", "1e3", "dua puluh": NUMBER_UNCLEAR).
READING_EMPTY, READING_PLAIN, READING_TEXT, READING_UNCLEAR = "kosong", "angka", "teks", "tidak jelas"
READINGS = pd.CategoricalDtype([READING_EMPTY, READING_PLAIN, READING_TEXT, READING_UNCLEAR])
_NUMBER_TOKEN = re.compile(r"[-−]?\d+(?:[.,]\d+)*")
_PRODUCT = re.compile(r"\d\s*[x×*]\s*\d", re.IGNORECASE)
_UNIT_WORDS = {"jp": {"jp", "jam", "pelajaran"}, "hari": {"hari"}}  # words a plain "24 JP" or "3 hari" holds


def parse_amount(raw: pd.Series, unit: str = "") -> pd.DataFrame:
    """`value` (float or NaN) and `reading` (READINGS) of each cell, read as a clerk types a number: one
    number, with a unit word (`unit`, e.g. "jp") or not; of several, the one beside the unit word."""
    return per_unique(functools.partial(_amounts, unit=unit))(raw)


def _amounts(values: pd.Series, unit: str) -> pd.DataFrame:
    read = [_amount(v, unit) for v in values]
    return pd.DataFrame(
        {"value": pd.Series([r[0] for r in read], dtype="float64", index=values.index),
         "reading": pd.Series([r[1] for r in read], dtype=READINGS, index=values.index)}
    )  # fmt: skip


def _amount(value: object, unit: str) -> tuple[float, str]:
    if isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool):
        number = float(value)
        return (number, READING_PLAIN) if math.isfinite(number) else (math.nan, READING_UNCLEAR)
    text = clean_scalar(value).casefold()
    if not text:
        return math.nan, READING_EMPTY
    tokens = list(_NUMBER_TOKEN.finditer(text))
    if not tokens or _PRODUCT.search(text):
        return math.nan, READING_UNCLEAR
    rest = _NUMBER_TOKEN.sub(" ", text)
    words = set(re.findall(r"[a-z]+", rest))
    if len(tokens) == 1:
        plain = words <= _UNIT_WORDS.get(unit, set()) and not re.search(r"[^a-z0-9\s.:,\-−]", rest)
        return _token_value(tokens[0].group()), READING_PLAIN if plain else READING_TEXT
    beside = [t for t in tokens if unit and _beside(text, t, unit)]
    return (
        (_token_value(beside[0].group()), READING_TEXT) if len(beside) == 1 else (math.nan, READING_UNCLEAR)
    )


def _beside(text: str, token: re.Match[str], unit: str) -> bool:
    """Whether the unit word stands right before or after the number ("24 JP", "JP: 24")."""
    after = text[token.end() :].lstrip(" :")
    before = text[: token.start()].rstrip(" :")
    return after.startswith(unit) or before.endswith(unit)


def _token_value(token: str) -> float:
    """ "24" 24, "24,5" 24.5, "1.000" 1000, "1.000,5" 1000.5, "-24" -24: a dot before groups of three
    digits separates thousands, a comma (or the last separator of two kinds) the decimals."""
    sign = -1.0 if token[0] in "-−" else 1.0
    digits = token.lstrip("-−")
    if "," in digits and "." in digits:
        decimal = max(digits.rfind(","), digits.rfind("."))
        whole = re.sub(r"[.,]", "", digits[:decimal])
        return sign * float(f"{whole}.{digits[decimal + 1 :]}")
    if "." in digits and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        return sign * float(digits.replace(".", ""))
    if digits.count(",") > 1 or digits.count(".") > 1:
        return sign * float(re.sub(r"[.,]", "", digits))
    return sign * float(digits.replace(",", "."))


def pppk_nip(digits: pd.Series) -> pd.Series:
    """PPPK numbers carry "21" in digits 13-14 where a PNS NIP has the month of appointment."""
    return digits.astype("string").str[12:14].eq("21").fillna(False).astype(bool)


def asn_status(nips: pd.Series, roster: pd.DataFrame | None) -> pd.Series:
    """PNS or PPPK per NIP: the roster's Status when it says, else the NIP's own marker."""
    from_nip = pd.Series(np.where(pppk_nip(nips), "PPPK", "PNS"), index=nips.index, dtype="string")
    if roster is None or "status" not in roster.columns:
        return from_nip
    stated = roster.dropna(subset=["nip"]).drop_duplicates("nip").set_index("nip")["status"]
    stated = stated[stated.isin(["PNS", "PPPK"])]
    return nips.map(stated).astype("string").fillna(from_nip)


# Academic titles and degrees (gelar) people add to a name or leave out: "Drs. H. Ahmad, M.Si." is Ahmad.
# Front titles are dropped at the start of a name; degrees after the first comma, and trailing degree-like
# words (S.E., M.Si., A.Md.Kep.: letters and dots) or the undotted spellings below, at its end.
_FRONT_TITLES = r"(?:prof|drs|dra|dr|ir|h|hj|kh|apt|ns|drg|drh)"
_DEGREES = (
    "se sh st sp spd skom ssos sip skm ssi sak sked skep sfarm shut stp spt sth sag sei shi spsi sstp ssit "
    "str mm msi mpd mkes mh mt map ma mba mkom mag mkn mtp msc bsc phd lc amd ama amdkep amk ners apt"
)
_TITLE_FRONT_RE = rf"^(?:{_FRONT_TITLES}\.?\s+|{_FRONT_TITLES}\.)+"
_TITLE_BACK_RE = rf"(?:\s+(?:(?:[a-z]{{1,4}}\.)+[a-z]{{1,5}}\.?|(?:{'|'.join(_DEGREES.split())})\.?))+$"


@per_unique  # a name recurs in every session of its employee
def name_key(names: pd.Series) -> pd.Series:
    """Names as NAME_MISMATCH and the roster look-ups compare them: case, spacing, punctuation and academic
    titles do not matter ("Dewi Saputra" is "DEWI SAPUTRA, S.E." and "Dra. Dewi Saputra")."""
    text = names.astype("string").str.casefold().str.split(",", n=1).str[0].str.strip()
    text = text.str.replace(_TITLE_FRONT_RE, "", regex=True).str.replace(_TITLE_BACK_RE, "", regex=True)
    return text.str.replace(r"[^0-9a-z]", "", regex=True)


# --------------------------------------------------------------------------------------------- assembly


def collect(workbooks: list[WorkbookData], listed: Iterable[str] = ()) -> Batch:
    """Concatenate the raw sheets of every workbook and type every column. The sheets' raw cells are taken:
    each sheet's frame is left empty (its letters and headers stay, for the layout), and the session rows are
    typed a chunk at a time. `listed`: the official OPD names (instansi.toml's daftar_opd)."""
    submissions = submissions_of(workbooks)
    frames = _sheets_by_kind(workbooks, dict(zip(submissions["file"], submissions["opd"], strict=True)))
    for sheet in (sheet for book in workbooks for sheet in book.sheets):  # `frames` holds the cells now
        sheet.frame = sheet.frame.iloc[0:0].copy()  # a slice would keep the whole array alive
    sessions = frames[layout.COACHING] + frames[layout.MENTORING] + frames[layout.LAIN]
    first_uid = sum(len(f) for f in sessions) + 1
    evaluations = _concat(frames[layout.EVALUASI], start_uid=first_uid)
    assessments = _concat(frames[layout.PENILAIAN], start_uid=first_uid + len(evaluations))
    roster_frames, unit_frames = frames[layout.ROSTER], frames[layout.PETA_UNOR]
    roster_rows = _concat(roster_frames, start_uid=first_uid + len(evaluations) + len(assessments))
    frames.clear()
    typed = _typed_in_chunks(sessions, start_uid=1)
    known = known_opds(submissions, roster_rows, unit_frames, listed)
    roster_frame = _type_roster(roster_rows, submissions, unit_frames, known) if len(roster_frames) else None
    submissions, typed = name_opds(submissions, typed, roster_frame, workbooks, known)
    return Batch(
        activities=typed,
        evaluations=type_evaluations(evaluations),
        assessments=type_evaluations(assessments),
        roster=roster_frame,
        layout=layout_of(workbooks),
        submissions=submissions,
        file_findings=[finding for book in workbooks for finding in book.findings],
        workbooks=workbooks,
        opds=known,
        units=_concat(unit_frames, start_uid=0).assign(uid=-1) if unit_frames else None,
    )


TYPE_CHUNK_ROWS = 250_000  # session rows typed at a time (see _typed_in_chunks)


def _typed_in_chunks(frames: list[pd.DataFrame], start_uid: int) -> pd.DataFrame:
    """type_activities over the rows of `frames` in (file, sheet, row) order, about TYPE_CHUNK_ROWS raw rows
    at a time. The list is consumed: each chunk's raw cells are let go once typed, so a large run never
    holds every raw cell and every typed row at once (1M rows: about 1.5 GB of raw cells)."""
    ordered = _in_order(frames)
    frames.clear()
    typed: list[pd.DataFrame] = []
    uid = start_uid
    ordered.reverse()  # taken from the end: pop() is O(1)
    while ordered or not typed:
        chunk: list[pd.DataFrame] = []
        rows = 0
        while ordered and (not chunk or rows + len(ordered[-1]) <= TYPE_CHUNK_ROWS):
            chunk.append(ordered.pop())
            rows += len(chunk[-1])
        raw = _concat(chunk, start_uid=uid)
        chunk.clear()
        typed.append(type_activities(raw))
        uid += len(raw)
        del raw
    return typed[0] if len(typed) == 1 else contiguous(pd.concat(typed, ignore_index=True))


def _sheets_by_kind(workbooks: list[WorkbookData], opd_of: dict[str, str]) -> dict[str, list[pd.DataFrame]]:
    """Every sheet read, by kind, with its file and sheet name; a submission's rows also carry the file's
    OPD, Tanggal Penyerahan and Tahun (the roster and Peta Unor keep their own Perangkat Daerah column)."""
    frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for book in workbooks:
        submitted = book.identitas.get("tanggal_penyerahan", "")
        tahun = book.identitas.get("tahun", "")
        for sheet in book.sheets:
            frame = sheet.frame.assign(file=book.rel, sheet=sheet.name, kind=sheet.kind)
            if sheet.kind not in _BKPSDM_KINDS:
                frame = frame.assign(
                    opd=opd_of[book.rel],
                    submitted_raw=[submitted] * len(frame),
                    tahun_raw=[tahun] * len(frame),
                )
            frames[sheet.kind].append(frame)
    return frames


def _type_roster(
    frame: pd.DataFrame, submissions: pd.DataFrame, unit_frames: list[pd.DataFrame], known: KnownOpds
) -> pd.DataFrame:
    """OPD names a unit may contain: the submissions' Identitas, the Peta Unor's and the roster's own. A
    Peta Unor's OPD counts in its known spelling; a name no known OPD has maps its unit to none."""
    units = (
        pd.concat(unit_frames, ignore_index=True) if unit_frames else pd.DataFrame(columns=["unor", "opd"])
    )
    typed = roster.unit_map(units.sort_values(["file", "sheet", "row"]) if unit_frames else units)
    mapping = {unit: opd for unit, name in typed.items() if (opd := known.meaning(name))}
    names = [
        *submissions.loc[submissions["opd_source"].eq("identitas"), "opd"],
        *mapping.values(),
        *clean_text(_raw(frame, "opd")).dropna(),
    ]
    return type_roster(frame, names, mapping)


def layout_of(workbooks: list[WorkbookData]) -> pd.DataFrame:
    """Where each field sits in each sheet read: file, sheet, field, letter, header, header_row (for an
    Identitas field: the row of its value)."""
    rows = [
        (book.rel, sheet.name, name, letter, sheet.headers[name], sheet.header_row)
        for book in workbooks
        for sheet in book.sheets
        for name, letter in sheet.letters.items()
    ]
    headers = {f.name: f.header for f in layout.IDENTITAS_FIELDS}  # Identitas: where each value is
    rows += [
        (book.rel, sheet, name, letter, headers[name], row)
        for book in workbooks
        for name, (sheet, row, letter) in book.identitas_cells.items()
    ]
    columns = ["file", "sheet", "field", "letter", "header", "header_row"]
    return pd.DataFrame(rows, columns=columns).astype({"header_row": "int64"})


_BKPSDM_KINDS = (layout.ROSTER, layout.PETA_UNOR)  # sheets of BKPSDM's own files, not an OPD's submission


def submissions_of(workbooks: list[WorkbookData]) -> pd.DataFrame:
    """One row per workbook: file, opd (and where it came from), submitted, mtime, tahun, periode (as typed),
    roster_only."""
    return pd.DataFrame(
        {
            "file": [b.rel for b in workbooks],
            "opd": [clean_scalar(b.identitas.get("opd", "")) or _opd_from_name(b.rel) for b in workbooks],
            "opd_source": ["identitas" if clean_scalar(b.identitas.get("opd", "")) else "nama berkas"
                           for b in workbooks],
            "submitted": parse_dates(pd.Series([b.identitas.get("tanggal_penyerahan", "") for b in workbooks],
                                               dtype=object)),
            "mtime": [b.mtime for b in workbooks],
            "sha256": [b.sha256 for b in workbooks],
            "tahun": parse_number(pd.Series([b.identitas.get("tahun", "") for b in workbooks], dtype=object)),
            "periode": [clean_scalar(b.identitas.get("periode", "")) for b in workbooks],
            "roster_only": [bool(b.sheets) and all(s.kind in _BKPSDM_KINDS for s in b.sheets) for b in workbooks],
        }
    )  # fmt: skip


def name_opds(
    submissions: pd.DataFrame,
    acts: pd.DataFrame,
    roster: pd.DataFrame | None,
    workbooks: list[WorkbookData],
    known: KnownOpds,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every file's OPD as a known name (pipeline.opds): Identitas › Perangkat Daerah in its known spelling.
    A file without one is named by an OPD name its title rows contain (a name from the roster or another
    file's Identitas), else the known OPD its file name names ("bappeda_coaching_2025"), else the OPD the
    roster gives most of its recipients (more than half); else by no OPD (UNKNOWN_OPD, source "tidak
    dikenal") when the run knows OPD names, and by its file name only when it knows none.
    Adds `opd_typed`: the name as the file gave it."""
    names = sorted({*known.names, *([] if roster is None else roster["opd"].dropna())}, key=len, reverse=True)
    titles = {b.rel: " ".join(b.titles).casefold() for b in workbooks}
    by_nip = (
        None
        if roster is None
        else roster.dropna(subset=["nip"]).drop_duplicates("nip").set_index("nip")["opd"]
    )
    named = submissions.assign(opd_typed=submissions["opd"])
    stated = named["opd_source"].eq("identitas")
    named.loc[stated, "opd"] = [known.meaning(n) or n for n in named.loc[stated, "opd"]]
    for i in named.index[~stated & named["opd_source"].eq("nama berkas") & ~named["roster_only"]]:
        file = str(named.at[i, "file"])
        found = next((name for name in names if name.casefold() in titles.get(file, "")), None)
        source = "judul"
        if found is None:
            found, source = known.of_file(Path(file).stem), "nama berkas"
        if found is None and by_nip is not None:
            found, source = (
                _roster_majority(acts["nip_penerima"][acts["file"].eq(file)], by_nip),
                "Data Pegawai",
            )
        if found is None and known.names and acts["file"].eq(file).any():
            found, source = UNKNOWN_OPD, UNKNOWN_SOURCE
        if found:
            named.loc[i, ["opd", "opd_source"]] = [found, source]
    opd = acts["file"].map(named.set_index("file")["opd"]).astype("string")
    return named, acts.assign(opd=opd.fillna(acts["opd"]))


UNKNOWN_SOURCE = "tidak dikenal"  # a file whose name names no known OPD


def known_opds(
    submissions: pd.DataFrame,
    roster_rows: pd.DataFrame,
    unit_frames: list[pd.DataFrame],
    listed: Iterable[str],
) -> KnownOpds:
    """The run's OPD names: instansi.toml's daftar_opd, a Data Pegawai's Perangkat Daerah column, the
    submissions' Identitas; a Peta Unor's names only when there is none of those (its names then are all
    the run has)."""
    stated: Iterable[str] = clean_text(_raw(roster_rows, "opd")).dropna() if len(roster_rows) else []
    identitas = submissions.loc[submissions["opd_source"].eq("identitas"), "opd"]
    known = KnownOpds.of(listed, stated, identitas)
    if known.names:
        return known
    return KnownOpds.of(*(clean_text(_raw(f, "opd")).dropna() for f in unit_frames))


def _roster_majority(nips: pd.Series, by_nip: pd.Series) -> str | None:
    opds = nips.dropna().map(by_nip).dropna()
    if not len(opds):
        return None
    counts = opds.value_counts()
    return str(counts.index[0]) if counts.iloc[0] * 2 > len(nips.dropna()) else None


def _opd_from_name(rel: str) -> str:
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return clean_scalar(stem.replace("_", " "))


def _concat(frames: list[pd.DataFrame], start_uid: int) -> pd.DataFrame:
    """The sheets' rows in (file, sheet, row) order, numbered from start_uid. The sheets are put in order
    before concatenating, each sorted by row only if it is not already: sorting the concatenated rows would
    copy every raw cell once more (1M rows: hundreds of MB)."""
    rows = _in_order(frames)
    if not rows:
        return pd.DataFrame({"uid": pd.Series(dtype="int64"), "file": [], "sheet": [], "row": [], "kind": []})
    out = contiguous(pd.concat(rows, ignore_index=True, sort=False))
    out.insert(0, "uid", np.arange(start_uid, start_uid + len(out), dtype="int64"))
    return out


def _in_order(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """The non-empty sheets by (file, sheet), each in row order."""
    rows = [
        f if f["row"].is_monotonic_increasing else f.sort_values("row", kind="stable")
        for f in frames
        if len(f)
    ]
    return sorted(rows, key=lambda f: (f["file"].iat[0], f["sheet"].iat[0]))


def _raw(frame: pd.DataFrame, field: str) -> pd.Series:
    if field in frame.columns:
        return frame[field].astype(object)
    return pd.Series([""] * len(frame), index=frame.index, dtype=object)


def _add_nip(out: dict[str, pd.Series], frame: pd.DataFrame, field: str) -> None:
    parsed = parse_nip(_raw(frame, field))
    out[field] = parsed["nip"]
    out[f"{field}_text"] = parsed["text"]
    out[f"{field}_digits"] = parsed["digits"]
    out[f"{field}_numeric"] = parsed["numeric"]


def _add_date(out: dict[str, pd.Series], frame: pd.DataFrame, name: str, source: str | None = None) -> None:
    raw = _raw(frame, source or name)
    out[name] = parse_dates(raw)
    out[f"{name}_text"] = cell_text(raw)


def _base(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {c: frame[c] for c in ("uid", "file", "sheet", "row", "kind") if c in frame.columns}


def type_activities(frame: pd.DataFrame) -> pd.DataFrame:
    out = _base(frame)
    out["opd"] = clean_text(_raw(frame, "opd"))
    _add_date(out, frame, "tanggal")
    _add_date(out, frame, "tanggal_selesai")
    _add_date(out, frame, "submitted", "submitted_raw")
    out["tahun"] = parse_number(_raw(frame, "tahun_raw"))
    for role in ("penerima", "pembimbing"):
        _add_nip(out, frame, f"nip_{role}")
        out[f"nama_{role}"] = clean_text(_raw(frame, f"nama_{role}"))
        out[f"jabatan_{role}"] = clean_text(_raw(frame, f"jabatan_{role}"))
        grade = parse_grade(_raw(frame, f"pangkat_{role}"))
        out[f"pangkat_{role}_text"] = grade["text"]
        out[f"grade_{role}"] = grade["grade"]
        out[f"scheme_{role}"] = grade["scheme"]
        out[f"grade_{role}_known"] = grade["known"]
    out["skala"] = parse_scale(_raw(frame, "skala"))
    out["moda"] = parse_mode(_raw(frame, "moda"))
    out["bukti"] = clean_text(_raw(frame, "bukti"))
    out["jenis_text"] = clean_text(_raw(frame, "jenis"))
    for name, unit in (("jp_program", "jp"), ("jumlah_hari", "hari")):
        amount = parse_amount(_raw(frame, name), unit)
        out[name], out[f"{name}_reading"] = amount["value"], amount["reading"]
    out["jp_program_text"] = cell_text(_raw(frame, "jp_program"))
    out["jumlah_hari_text"] = cell_text(_raw(frame, "jumlah_hari"))
    out["keterangan"] = clean_text(_raw(frame, "keterangan"))
    return pd.DataFrame(out)


def type_evaluations(frame: pd.DataFrame) -> pd.DataFrame:
    out = _base(frame)
    out["opd"] = clean_text(_raw(frame, "opd"))
    _add_date(out, frame, "tanggal")
    for role in ("penerima", "pembimbing"):
        _add_nip(out, frame, f"nip_{role}")
    for score in layout.SCORE_FIELDS:
        out[score] = parse_number(_raw(frame, score))
        out[f"{score}_text"] = cell_text(_raw(frame, score))
    levels = {lvl.casefold().replace(" ", ""): lvl for lvl in layout.PENILAIAN_LEVELS}
    penilaian_text = clean_text(_raw(frame, "penilaian"))
    out["penilaian_text"] = penilaian_text
    out["penilaian"] = penilaian_text.str.casefold().str.replace(r"[^a-z]", "", regex=True).map(levels)
    out["saran"] = clean_text(_raw(frame, "saran"))
    return pd.DataFrame(out)


def type_roster(frame: pd.DataFrame, opd_names: list[str], units: dict[str, str]) -> pd.DataFrame:
    """The roster typed: a SIASN export's apostrophes and `null` cleaned, the name with its titles, the
    OPD from the roster's own column or the unit (pipeline.roster), and who is active."""
    frame = roster.clean_export(frame, [f.name for f in layout.FIELDS[layout.ROSTER]])
    out = _base(frame)
    _add_nip(out, frame, "nip")
    text = {name: clean_text(_raw(frame, name)) for name in ("gelar_depan", "nama", "gelar_belakang",
            "jabatan", "jenis_jabatan", "eselon", "opd", "unor", "unor_induk", "status", "kedudukan")}  # fmt: skip
    out["nama"] = roster.full_name(text["gelar_depan"], text["nama"], text["gelar_belakang"])
    out["pangkat_text"] = parse_grade(_raw(frame, "pangkat"))["text"]
    out["jabatan"] = text["jabatan"]
    out["jenis_jabatan"] = roster.jenis_jabatan(text["jenis_jabatan"], text["eselon"])
    out["jenis_jabatan_text"] = text["jenis_jabatan"]
    out["unor"] = text["unor"]
    out["opd"], out["opd_source"] = roster.unit_opd(
        text["opd"], [text["unor"], text["unor_induk"]], opd_names, units
    )
    out["status"] = roster.asn_kind(text["status"])
    out["kedudukan"] = text["kedudukan"]
    out["aktif"] = roster.is_active(text["kedudukan"])
    return pd.DataFrame(out)
