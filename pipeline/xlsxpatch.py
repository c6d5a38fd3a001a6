"""Mark cells of an .xlsx by editing its XML in place: fills and comments, nothing else touched.

The OPD's workbook keeps every format, width, merge and formula; only the marked cells get a new style (a clone
of their own style with a red or yellow fill) and a comment. Cost: one unzip and re-zip, whatever the size.
Anything this does not handle (macros, existing comments, unusual XML) raises PatchUnsupported and the
caller falls back to openpyxl.
"""

from __future__ import annotations

import bisect
import functools
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import defusedxml.ElementTree as SafeET

from pipeline.excel import column_index, column_letter, zip_member

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_COMMENTS = NS_REL + "/comments"
REL_VML = NS_REL + "/vmlDrawing"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
FILL_RGB = {"Kesalahan": "FFFF9999", "Peringatan": "FFFFFF99"}
AUTHOR = "rekap-jp"  # the author of every comment this program writes: how a later round knows its marks
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")  # fmt: skip


class PatchUnsupported(Exception):
    """The workbook has a feature the XML patcher leaves to openpyxl."""


@dataclass(frozen=True)
class Mark:
    sheet: str
    row: int  # 1-based, as in Excel
    column: str  # letters
    level: str  # Kesalahan / Peringatan
    text: str


_MERGE_REF = re.compile(r'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def anchor_marks(marks: list[Mark], merged: list[tuple[int, int, int, int]]) -> list[Mark]:
    """Marks inside a merged range move to its top-left cell (the only one Excel shows and keeps a note
    on); marks that land on one cell become one: the worst level, the texts joined."""
    placed: dict[tuple[int, str], Mark] = {}
    for mark in marks:
        row, col = mark.row, column_index(mark.column)
        for r0, c0, r1, c1 in merged:
            if r0 <= row <= r1 and c0 <= col <= c1:
                row, col = r0, c0
                break
        key = (row, column_letter(col - 1))
        before = placed.get(key)
        if before is None:
            placed[key] = Mark(mark.sheet, row, key[1], mark.level, mark.text)
        else:
            level = "Kesalahan" if "Kesalahan" in (before.level, mark.level) else mark.level
            placed[key] = Mark(mark.sheet, row, key[1], level, f"{before.text}\n\n{mark.text}"[:30000])
    return list(placed.values())


def merged_ranges(xml: str) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column), 1-based, of every merged range of a sheet part."""
    return [
        (int(r0), column_index(c0), int(r1), column_index(c1)) for c0, r0, c1, r1 in _MERGE_REF.findall(xml)
    ]


def mark_xlsx(source: Path, target: Path, marks: list[Mark]) -> None:
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    if any(name.lower().endswith("vbaproject.bin") for name in parts):
        raise PatchUnsupported("macro-enabled workbook")
    sheet_paths = _sheet_paths(parts)
    by_sheet: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.sheet in sheet_paths:
            by_sheet[mark.sheet].append(mark)
    styles = _Styles(parts)
    comment_no = _next_number(parts, r"xl/comments(\d+)\.xml")
    vml_no = _next_number(parts, r"xl/drawings/vmlDrawing(\d+)\.vml")
    for index, (sheet, sheet_marks) in enumerate(sorted(by_sheet.items())):
        path = sheet_paths[sheet]
        xml = parts[path].decode("utf-8")
        if "legacyDrawing" in xml:
            raise PatchUnsupported("sheet already has comments")
        sheet_marks = anchor_marks(sheet_marks, merged_ranges(xml))
        cells = {(m.row, m.column): m for m in sheet_marks}
        xml = _restyle(xml, {k: m.level for k, m in cells.items()}, styles.for_cell)
        comments_path = f"xl/comments{comment_no + index}.xml"
        vml_path = f"xl/drawings/vmlDrawing{vml_no + index}.vml"
        xml = _add_legacy_drawing(xml)
        parts[path] = xml.encode("utf-8")
        parts[comments_path] = _comments_xml(sheet_marks)
        parts[vml_path] = _vml_xml(sheet_marks, vml_no + index)
        _add_sheet_rels(parts, path, comments_path, vml_path)
        _add_content_types(parts, comments_path)
    parts["xl/styles.xml"] = styles.render()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zip_member(name, ZIP_TIME), data)


def _sheet_paths(parts: dict[str, bytes]) -> dict[str, str]:
    try:
        book = SafeET.fromstring(parts["xl/workbook.xml"])
        rels = SafeET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    except (KeyError, SafeET.ParseError) as exc:
        raise PatchUnsupported("no workbook part") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{NS_PKG_REL}}}Relationship")}
    out = {}
    for sheet in book.iter(f"{{{NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{NS_REL}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if path in parts:
            out[sheet.get("name", "")] = path
    return out


def _next_number(parts: dict[str, bytes], pattern: str) -> int:
    numbers = [int(m.group(1)) for name in parts if (m := re.fullmatch(pattern, name))]
    return max(numbers, default=0) + 1


class _Styles:
    """Adds the two fills and, per (original style, level), one cloned cell format."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        if "xl/styles.xml" not in parts:
            raise PatchUnsupported("no styles part")
        self.xml = parts["xl/styles.xml"].decode("utf-8")
        prefix = re.search(r"<(\w+:)?styleSheet\b", self.xml)
        if prefix is None:
            raise PatchUnsupported("unexpected styles root")
        self.p = prefix.group(1) or ""
        fills = re.search(rf"<{self.p}fills\b[^>]*>(.*?)</{self.p}fills>", self.xml, re.S)
        xfs = re.search(rf"<{self.p}cellXfs\b[^>]*>(.*?)</{self.p}cellXfs>", self.xml, re.S)
        if fills is None or xfs is None:
            raise PatchUnsupported("styles without fills or cellXfs")
        self.fill_count = len(re.findall(rf"<{self.p}fill\b", fills.group(1)))
        self.xf_list = re.findall(rf"<{self.p}xf\b[^>]*?/>|<{self.p}xf\b.*?</{self.p}xf>", xfs.group(1), re.S)
        self.fill_ids = {level: self.fill_count + i for i, level in enumerate(FILL_RGB)}
        self.new_xfs: dict[tuple[int, str], int] = {}

    def for_cell(self, style: int, level: str) -> int:
        key = (style if style < len(self.xf_list) else 0, level)
        if key not in self.new_xfs:
            self.new_xfs[key] = len(self.xf_list) + len(self.new_xfs)
        return self.new_xfs[key]

    def render(self) -> bytes:
        p = self.p
        new_fills = "".join(
            f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{rgb}"/><{p}bgColor indexed="64"/>'
            f"</{p}patternFill></{p}fill>"
            for rgb in FILL_RGB.values()
        )
        xml = re.sub(rf"</{p}fills>", lambda _: new_fills + f"</{p}fills>", self.xml, count=1)
        xml = re.sub(rf'(<{p}fills\b[^>]*?count=")\d+', rf"\g<1>{self.fill_count + 2}", xml, count=1)
        clones = []
        for (style, level), _ in sorted(self.new_xfs.items(), key=lambda item: item[1]):
            xf = self.xf_list[style] if self.xf_list else f"<{p}xf/>"
            xf = _set_attr(xf, "fillId", str(self.fill_ids[level]))
            clones.append(_set_attr(xf, "applyFill", "1"))
        xml = re.sub(rf"</{p}cellXfs>", lambda _: "".join(clones) + f"</{p}cellXfs>", xml, count=1)
        total = len(self.xf_list) + len(self.new_xfs)
        xml = re.sub(rf'(<{p}cellXfs\b[^>]*?count=")\d+', rf"\g<1>{total}", xml, count=1)
        return xml.encode("utf-8")


def _set_attr(tag_text: str, name: str, value: str) -> str:
    head_end = tag_text.index(">")
    head, rest = tag_text[:head_end], tag_text[head_end:]
    if re.search(rf"\s{name}=\"[^\"]*\"", head):
        head = re.sub(rf"(\s{name}=)\"[^\"]*\"", rf'\g<1>"{value}"', head, count=1)
    else:
        closing = "/" if head.endswith("/") else ""
        head = head[: len(head) - len(closing)] + f' {name}="{value}"' + closing
    return head + rest


StyleFor = Callable[[int, str], int]  # (the cell's current style, level) -> the marked style


def _restyle(xml: str, levels: dict[tuple[int, str], str], style_for: StyleFor) -> str:
    """Give each (row, column) cell a filled copy of its style, creating empty cells and rows as needed."""
    xml, p, begin, end = _sheet_data(xml)
    rows = [(int(m.group(1)), m.start()) for m in re.finditer(rf'<{p}row\b[^>]*?\sr="(\d+)"', xml[:end])]
    if not rows and re.search(rf"<{p}row\b", xml[begin:end]):
        raise PatchUnsupported("rows without numbers")
    wanted: dict[int, list[str]] = defaultdict(list)
    for row, column in levels:
        wanted[row].append(column)
    starts = dict(rows)
    numbers = [r for r, _ in rows]
    if numbers != sorted(numbers):
        raise PatchUnsupported("rows out of order")
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    for row in sorted(wanted):
        columns = sorted(set(wanted[row]), key=column_index)
        if row in starts:
            start = starts[row]
            tag_end = xml.index(">", start)
            if xml[tag_end - 1] == "/":
                stop = tag_end + 1
                element = xml[start : tag_end - 1] + f"></{p}row>"
            else:
                stop = xml.index(f"</{p}row>", tag_end) + len(f"</{p}row>")
                element = xml[start:stop]
            edits.append((start, stop, _restyle_row(element, row, columns, p, levels, style_for)))
        else:
            after = bisect.bisect_right(numbers, row)
            at = rows[after][1] if after < len(rows) else end
            cells = "".join(f'<{p}c r="{c}{row}" s="{style_for(0, levels[(row, c)])}"/>' for c in columns)
            edits.append((at, at, f'<{p}row r="{row}">{cells}</{p}row>'))
    return _apply_edits(xml, edits)


def _sheet_data(xml: str) -> tuple[str, str, int, int]:
    """(xml with an open sheetData, the namespace prefix, where its rows begin, where they end)."""
    root = re.search(r"<(\w+:)?worksheet\b", xml)
    if root is None:
        raise PatchUnsupported("unexpected worksheet root")
    p = root.group(1) or ""
    data = re.search(rf"<{p}sheetData\s*/>|<{p}sheetData\b[^>]*>", xml)
    if data is None:
        raise PatchUnsupported("no sheetData")
    if data.group(0).endswith("/>"):
        xml = xml[: data.start()] + f"<{p}sheetData></{p}sheetData>" + xml[data.end() :]
        data = re.search(rf"<{p}sheetData\b[^>]*>", xml)
        assert data is not None
    return xml, p, data.end(), xml.index(f"</{p}sheetData>", data.end())


def _apply_edits(xml: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span of xml by its text; the spans do not overlap."""
    pieces, cursor = [], 0
    for start, stop, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        pieces += [xml[cursor:start], replacement]
        cursor = stop
    pieces.append(xml[cursor:])
    return "".join(pieces)


def _restyle_row(
    element: str,
    row: int,
    columns: list[str],
    p: str,
    levels: dict[tuple[int, str], str],
    style_for: StyleFor,
) -> str:
    """Restyle the marked cells of one <row>, inserting empty cells in column order where there are none.
    A marked cell is looked up by its reference; the row's cells are listed (one regex pass) only where that
    finds nothing: a cell Excel did not write, or written unusually (listing every row's cells was 40% of
    a marked copy)."""
    head_end = element.index(">")
    element = _SPANS.sub("", element[:head_end], count=1) + element[head_end:]
    listed: dict[str, re.Match[str]] | None = None
    edits: list[tuple[int, int, int, str]] = []  # (start, end, column index, replacement)
    for column in columns:
        level, index = levels[(row, column)], column_index(column)
        span = _cell_span(element, p, f"{column}{row}")
        if span is None:
            listed = listed if listed is not None else {m.group(1): m for m in _cell_tag(p).finditer(element)}
            match = listed.get(column)
            span = None if match is None else match.span()
        if span is not None:
            tag = element[span[0] : span[1]]
            edits.append((*span, index, _with_style(tag, style_for, level)))
            continue
        assert listed is not None
        later = [m.start() for c, m in listed.items() if column_index(c) > index]
        at = min(later) if later else element.rindex(f"</{p}row>")
        edits.append((at, at, index, f'<{p}c r="{column}{row}" s="{style_for(0, level)}"/>'))
    for start, stop, _, text in sorted(edits, reverse=True):  # from the back: earlier offsets stay valid
        element = element[:start] + text + element[stop:]
    return element


def _cell_span(element: str, p: str, ref: str) -> tuple[int, int] | None:
    """Where the <c r="ref" ...> tag is in a row element: the attribute found as text, then checked to be
    inside a cell's tag (not, say, a cell's text); None when not found so."""
    needle = f' r="{ref}"'
    at = element.find(needle)
    while at != -1:
        start = element.rfind("<", 0, at)
        opening = f"<{p}c"
        if element.startswith(opening, start) and start + len(opening) == element.find(" ", start):
            stop = element.find(">", at)
            if stop != -1 and ">" not in element[start:at]:
                return start, stop + 1
        at = element.find(needle, at + 1)
    return None


def _with_style(tag: str, style_for: StyleFor, level: str) -> str:
    current = _STYLE_ATTR.search(tag)
    if current is None:
        return _set_attr(tag, "s", str(style_for(0, level)))
    style = style_for(int(current.group(1)), level)
    return tag[: current.start(1)] + str(style) + tag[current.end(1) :]


_SPANS = re.compile(r'\sspans="[^"]*"')
_STYLE_ATTR = re.compile(r'\ss="(\d+)"')


@functools.cache
def _cell_tag(p: str) -> re.Pattern[str]:
    return re.compile(rf'<{p}c\b[^>]*?\sr="([A-Z]+)\d+"[^>]*?/?>')


def _add_legacy_drawing(xml: str) -> str:
    root = re.search(r"<(\w+:)?worksheet\b[^>]*>", xml)
    assert root is not None
    p = root.group(1) or ""
    rel_prefix = "r"
    if f'xmlns:r="{NS_REL}"' not in root.group(0):
        declared = re.search(rf'xmlns:(\w+)="{re.escape(NS_REL)}"', root.group(0))
        if declared:
            rel_prefix = declared.group(1)
        else:
            head = root.group(0)[:-1] + f' xmlns:r="{NS_REL}">'
            xml = xml[: root.start()] + head + xml[root.end() :]
    element = f'<{p}legacyDrawing {rel_prefix}:id="rIdRekapJpVml"/>'
    # they all follow the cells: search after them, not through every row once per name
    tail = max(0, xml.rfind(f"</{p}sheetData>"))
    positions = [m.start() for name in _AFTER_LEGACY if (m := re.compile(rf"<{p}{name}\b").search(xml, tail))]
    at = min(positions) if positions else xml.rindex(f"</{p}worksheet>")
    return xml[:at] + element + xml[at:]


def _comments_xml(marks: list[Mark]) -> bytes:
    items = "".join(
        f'<comment ref="{m.column}{m.row}" authorId="0"><text><r><t xml:space="preserve">{escape(m.text)}</t>'
        "</r></text></comment>"
        for m in sorted(marks, key=lambda m: (m.row, column_index(m.column)))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<comments xmlns="{NS_MAIN}"><authors><author>{AUTHOR}</author></authors>'
        f"<commentList>{items}</commentList></comments>"
    ).encode()


def _vml_xml(marks: list[Mark], number: int) -> bytes:
    shapes = []
    for i, m in enumerate(sorted(marks, key=lambda m: (m.row, column_index(m.column)))):
        row, col = m.row - 1, column_index(m.column) - 1
        lines = max(3, min(12, len(m.text) // 40 + 2))
        shapes.append(
            f'<v:shape id="_x0000_s{number * 1024 + i + 1}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:'
            f'{lines * 12}pt;z-index:{i + 1};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
            f"<x:SizeWithCells/><x:Anchor>{col + 1}, 15, {row}, 10, {col + 5}, 15, {row + lines}, 4</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData>"
            "</v:shape>"
        )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{number}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        + "".join(shapes)
        + "</xml>"
    ).encode("utf-8")


def _add_sheet_rels(parts: dict[str, bytes], sheet_path: str, comments: str, vml: str) -> None:
    folder, name = sheet_path.rsplit("/", 1)
    rels_path = f"{folder}/_rels/{name}.rels"
    relations = (
        f'<Relationship Id="rIdRekapJpComments" Type="{REL_COMMENTS}" Target="../{comments.removeprefix("xl/")}"/>'
        f'<Relationship Id="rIdRekapJpVml" Type="{REL_VML}" Target="../{vml.removeprefix("xl/")}"/>'
    )
    if rels_path in parts:
        text = parts[rels_path].decode("utf-8")
        if "rIdRekapJp" in text:
            raise PatchUnsupported("already marked")
        parts[rels_path] = text.replace("</Relationships>", relations + "</Relationships>", 1).encode("utf-8")
    else:
        parts[rels_path] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}">{relations}</Relationships>'
        ).encode()


def _add_content_types(parts: dict[str, bytes], comments: str) -> None:
    text = parts["[Content_Types].xml"].decode("utf-8")
    additions = ""
    if not re.search(r'Extension="vml"', text, re.I):
        additions += f'<Default Extension="vml" ContentType="{CT_VML}"/>'
    additions += f'<Override PartName={quoteattr("/" + comments)} ContentType="{CT_COMMENTS}"/>'
    parts["[Content_Types].xml"] = text.replace("</Types>", additions + "</Types>", 1).encode("utf-8")
