"""Stage 2: read one workbook into raw cell frames, with the Excel row number of every row.

Nothing is typed here: every cell stays as python-calamine returns it (str, float, date, datetime, bool),
so normalisation can tell a NIP typed as text from one Excel stored as a number. Files that cannot be read
safely become one file-level finding.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine as pc

from pipeline import layout
from pipeline.excel import MAX_ROWS, column_index, column_letter
from pipeline.findings import file_finding, thousands
from pipeline.textnorm import INVISIBLE, clean_scalar, match_key, tokens

HEADER_SEARCH_ROWS = 20
MAX_ZIP_MEMBERS = 5_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
MAX_SHEET_CELLS = 60_000_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')


class UnreadableFile(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass
class SheetData:
    kind: str
    name: str
    frame: pd.DataFrame  # raw cells, columns = fields, plus "row" (Excel row number)
    letters: dict[str, str]  # field -> Excel column letter
    headers: dict[str, str]  # field -> header text as the user wrote it
    header_row: int = 1  # Excel row number of the (lower) header row


@dataclass
class WorkbookData:
    path: Path
    rel: str
    sha256: str
    sheets: list[SheetData] = field(default_factory=list)
    identitas: dict[str, Any] = field(default_factory=dict)
    identitas_cells: dict[str, tuple[str, int, str]] = field(
        default_factory=dict
    )  # field -> sheet, row, letter
    findings: list[dict[str, object]] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    readable: bool = True
    mtime: float = 0.0  # modification time: the last tie-break between two versions of a submission
    titles: list[str] = field(default_factory=list)  # text above each sheet's header ("LAPORAN ... BAPPEDA")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_file_safety(path: Path) -> None:
    """Refuse encrypted, corrupt and bomb-like files before any parser sees them."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE2_MAGIC:
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise UnreadableFile("FILE_ENCRYPTED")
        return  # legacy .xls: calamine parses it with its own size checks
    if not head.startswith(b"PK"):
        raise UnreadableFile("FILE_UNREADABLE", "isi berkas bukan lembar kerja Excel/ODS")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_zip(members, path.stat().st_size)
            for info in members:
                if info.filename.endswith(".xml") or info.filename.endswith(".rels"):
                    with archive.open(info) as member:
                        start = member.read(4096)
                    if b"<!ENTITY" in start or b"<!DOCTYPE" in start:
                        raise UnreadableFile(
                            "FILE_UNREADABLE", "berisi deklarasi entitas XML yang tidak diizinkan"
                        )
                    if info.filename.startswith("xl/worksheets/"):
                        _check_dimension(start)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("FILE_UNREADABLE", "berkas rusak (arsip zip tidak utuh)") from exc


def _check_zip(members: list[zipfile.ZipInfo], compressed_size: int) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableFile("FILE_UNREADABLE", f"arsip berisi {len(members)} bagian, melebihi batas")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile("FILE_UNREADABLE", "ukuran isi arsip melebihi batas 2 GiB")
    if total > 50 * 1024**2 and total / max(compressed_size, 1) > MAX_COMPRESSION_RATIO:
        raise UnreadableFile("FILE_UNREADABLE", "rasio kompresi tidak wajar (kemungkinan zip bomb)")
    # each part too: random bytes padded beside one bomb keep the archive's own ratio low
    if any(m.file_size > 50 * 1024**2 and m.file_size / max(m.compress_size, 1) > MAX_COMPRESSION_RATIO
           for m in members):  # fmt: skip
        raise UnreadableFile(
            "FILE_UNREADABLE", "rasio kompresi satu bagian arsip tidak wajar (kemungkinan zip bomb)"
        )


def _check_dimension(start: bytes) -> None:
    match = _DIMENSION.search(start)
    if not match:
        return
    rows = int(match.group(2))
    cols = column_index(match.group(1).decode())
    if rows * cols > MAX_SHEET_CELLS and rows > 100_000:
        raise UnreadableFile(
            "FILE_UNREADABLE",
            f"sheet menyatakan {thousands(rows)} baris x {thousands(cols)} kolom, melebihi batas",
        )


def read_workbook(path: Path, rel: str) -> WorkbookData:
    try:
        data = WorkbookData(path=path, rel=rel, sha256=sha256_of(path), mtime=path.stat().st_mtime)
    except OSError:  # moved or deleted since the folder was listed
        data = WorkbookData(path=path, rel=rel, sha256="", readable=False)
        data.findings = [file_finding(rel, "FILE_UNREADABLE", "berkas hilang atau dipindah sebelum dibaca")]
        return data
    try:
        if path.suffix.lower() == ".csv":
            _read_csv(path, data)
        else:
            check_file_safety(path)
            with path.open("rb") as handle:
                book = pc.CalamineWorkbook.from_filelike(handle)
            _read_sheets(book, data)
    except UnreadableFile as exc:
        data.readable = False
        data.sheets.clear()
        data.findings = [file_finding(rel, exc.code, exc.detail)]
    except pc.PasswordError:
        data.readable = False
        data.sheets.clear()
        data.findings = [file_finding(rel, "FILE_ENCRYPTED")]
    except (pc.CalamineError, ValueError, OSError, UnicodeError, csv.Error) as exc:
        data.readable = False
        data.sheets.clear()
        data.findings = [file_finding(rel, "FILE_UNREADABLE", _short(exc))]
    return data


def _short(exc: Exception) -> str:
    text = clean_scalar(exc)
    return text[:160] or type(exc).__name__


def _read_sheets(book: pc.CalamineWorkbook, data: WorkbookData) -> None:
    recognised = 0
    for meta in book.sheets_metadata:
        data.sheet_names.append(meta.name)
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != pc.SheetVisibleEnum.Visible:
            data.findings.append(file_finding(data.rel, "SHEET_HIDDEN", meta.name, sheet=meta.name))
            continue
        sheet = book.get_sheet_by_name(meta.name)
        kind = layout.sheet_kind(meta.name)
        if kind is None and is_siasn_roster(sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)):
            kind = layout.ROSTER  # a SIASN export keeps its own sheet name
        if kind is None:
            continue
        recognised += 1
        if sheet.total_height > MAX_ROWS:
            raise UnreadableFile("FILE_UNREADABLE", f"sheet {meta.name} melebihi {thousands(MAX_ROWS)} baris")
        _add_sheet(data, kind, meta.name, sheet.to_python(skip_empty_area=False), _merged_ranges(sheet))
    if recognised == 0:
        names = ", ".join(data.sheet_names) or "tidak ada sheet"
        data.findings.append(file_finding(data.rel, "SHEET_MISSING", f"sheet yang ada: {names}"))


def _add_sheet(data: WorkbookData, kind: str, name: str, rows: list[list[Any]], merged: list[Any]) -> None:
    if kind == layout.IDENTITAS:
        data.identitas, where = read_identitas(rows)
        data.identitas_cells = {f: (name, r + 1, column_letter(c)) for f, (r, c) in where.items()}
        return
    parsed = parse_table(kind, rows, merged)
    if parsed is None:
        data.findings.append(file_finding(data.rel, "HEADER_NOT_FOUND", name, sheet=name))
        return
    frame, letters, headers, header_row = parsed
    data.sheets.append(SheetData(kind, name, frame, letters, headers, header_row))
    title = " ".join(clean_scalar(c) for row in rows[: header_row - 1] for c in row if clean_scalar(c))
    if title:
        data.titles.append(title)


def is_siasn_roster(rows: list[list[Any]]) -> bool:
    """A header row holding NIP BARU and NAMA: BKN's SIASN export, whatever the sheet is called."""
    wanted = {match_key(h) for h in layout.SIASN_ROSTER_HEADERS}
    return any(wanted <= {match_key(c) for c in row} for row in rows[:HEADER_SEARCH_ROWS])


# ------------------------------------------------------------------------------------------------ CSV


def csv_sheet_name(path: Path) -> str:
    """The one "sheet" of a CSV file, named as its marked copy's sheet can be (31 characters, no []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", "_", path.stem)[:31] or "CSV"


def csv_rows(path: Path) -> list[list[str]]:
    """Every row of a CSV file: UTF-8 with or without BOM (else UTF-16 with BOM, else Windows-1252),
    separated by comma, semicolon or tab, whichever splits the first line into the most fields."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    elif b"\x00" in raw[:4096]:
        raise UnreadableFile("FILE_UNREADABLE", "bukan berkas teks CSV")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    first = next(
        (line for line in text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS] if line.strip()), ""
    )
    delimiter = max(",;\t", key=lambda d: len(next(csv.reader([first], delimiter=d))))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_csv(path: Path, data: WorkbookData) -> None:
    """A CSV file is one sheet: a roster when its header says so (SIASN), else what its name says."""
    rows: list[list[Any]] = list(csv_rows(path))
    name = csv_sheet_name(path)
    data.sheet_names.append(name)
    kind = layout.ROSTER if is_siasn_roster(rows) else layout.sheet_kind(path.stem)
    if kind is None or kind == layout.IDENTITAS:
        data.findings.append(file_finding(data.rel, "SHEET_MISSING", f"berkas CSV {path.name}"))
        return
    _add_sheet(data, kind, name, rows, [])


def _merged_ranges(sheet: pc.CalamineSheet) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    try:
        return list(sheet.merged_cell_ranges or [])
    except (pc.CalamineError, AttributeError):
        return []


def read_identitas(rows: list[list[Any]]) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """Label | value pairs anywhere in the sheet: field -> value, and field -> where the value is (the
    0-based row and column: where a finding about it is marked)."""
    index = {match_key(t): f.name for f in layout.IDENTITAS_FIELDS for t in (f.header, *f.aliases)}
    found: dict[str, Any] = {}
    where: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows[:200]):
        cells = [(c, col) for col, c in enumerate(row) if clean_scalar(c) not in ("", ":")]
        for position, (cell, _) in enumerate(cells[:-1]):
            name = index.get(match_key(cell))
            if name and name not in found:
                found[name], where[name] = cells[position + 1][0], (r, cells[position + 1][1])
    return found, where


def _header_texts(rows: list[list[Any]], top: int, merged: list[Any]) -> list[str]:
    """Header text per column of row `top`, with a group cell (COACH/COACHEE...) of the row above prefixed."""
    width = max((len(r) for r in rows[: top + 1]), default=0)
    current = [clean_scalar(c) for c in rows[top]] + [""] * (width - len(rows[top]))
    if top == 0:
        return current
    above = [clean_scalar(c) for c in rows[top - 1]] + [""] * (width - len(rows[top - 1]))
    groups = [""] * width
    for col, text in enumerate(above):
        if text and set(tokens(text)) & layout.GROUP_WORDS and len(tokens(text)) <= 2:
            span = [col]
            for (r0, c0), (r1, c1) in merged:
                if r0 <= top - 1 <= r1 and c0 == col:
                    span = list(range(c0, min(c1, width - 1) + 1))
            for c in span:
                groups[c] = text
    texts = []
    for col in range(width):
        if groups[col] and current[col]:
            texts.append(f"{current[col]} {groups[col]}")
        elif not current[col] and above[col] and not groups[col]:
            texts.append(above[col])  # a header merged vertically over both rows
        else:
            texts.append(current[col])
    return texts


def match_headers(kind: str, texts: list[str]) -> dict[str, int]:
    """field -> column index for one candidate header row."""
    index = layout.alias_index(kind)
    found: dict[str, int] = {}
    generic: list[tuple[int, str]] = []
    for col, text in enumerate(texts):
        if not text:
            continue
        key = match_key(text)
        name = index.get(key)
        if name and name not in found:
            found[name] = col
        elif name is None and key in layout.GENERIC_RECIPIENT and kind in (layout.COACHING, layout.MENTORING):
            generic.append((col, layout.GENERIC_RECIPIENT[key]))
    for col, name in generic:
        found.setdefault(name, col)
    return found


def find_header(
    kind: str, rows: list[list[Any]], merged: list[Any]
) -> tuple[int, dict[str, int], list[str]] | None:
    best: tuple[int, dict[str, int], list[str]] | None = None
    for top in range(min(HEADER_SEARCH_ROWS, len(rows))):
        texts = _header_texts(rows, top, merged)
        found = match_headers(kind, texts)
        required = layout.REQUIRED_FIELDS[kind]
        enough = min(3, len(required) + 1, len(layout.FIELDS[kind]))
        if sum(f in found for f in required) < min(2, len(required)) or len(found) < enough:
            continue
        if best is None or len(found) > len(best[1]):
            best = (top, found, texts)
    return best


def parse_table(
    kind: str, rows: list[list[Any]], merged: list[Any]
) -> tuple[pd.DataFrame, dict[str, str], dict[str, str], int] | None:
    header = find_header(kind, rows, merged)
    if header is None:
        return None
    top, found, texts = header
    body = rows[top + 1 :]
    fields = list(found)
    columns = [found[f] for f in fields]
    width = max(columns) + 1
    content = [found[f] for f in fields if f != "no"]
    kept = [
        (number, r if len(r) >= width else [*r, *([""] * (width - len(r)))])
        for number, r in enumerate(body, start=top + 2)
        if any(is_filled(r[c]) for c in content if c < len(r))
    ]  # a row with nothing but a Nomor (or blanks) is no record
    padded = [r for _, r in kept]
    frame = pd.DataFrame(padded, dtype=object).iloc[:, columns] if padded else pd.DataFrame(columns=columns)
    frame.columns = fields
    frame.insert(0, "row", [number for number, _ in kept])
    letters = {f: column_letter(found[f]) for f in fields}
    headers = {f: texts[found[f]] for f in fields}
    return frame, letters, headers, top + 1


def is_filled(value: Any) -> bool:
    """A cell holding anything but blanks: whitespace, no-break and zero-width spaces count as empty."""
    if isinstance(value, str):
        return bool(value.translate(INVISIBLE).strip())
    return not (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)
    )
