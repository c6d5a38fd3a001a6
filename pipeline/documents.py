"""The documents BKPSDM signs, as PDF: a certificate per row of Daftar Sertifikat (Keputusan Bupati Nganjuk
C.7: "surat keterangan pembelajaran berupa sertifikat") and the Kartu Pengendalian 20 JP of each OPD laid out
as Perwali Pangkalpinang Lampiran III, one file per OPD in sertifikat_<TAHUN>/ and kartu_<TAHUN>/.

reportlab draws them with the Bitstream Vera fonts its wheel ships, embedded in every file, so a fresh
clone renders the same pages. Certificates are drawn straight on the canvas (10,000 pages in seconds); the
Kartu is a platypus document whose table (_PagedTable) draws its two header rows once as a form and each
page's rows straight on the canvas, where a platypus Table would put them. Each OPD's file is one
independent piece of the write stage (`certificate_pieces`, `kartu_pieces`), so both cores can draw them.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pipeline.deliver import folder_name
from pipeline.instansi import Instansi, Person
from pipeline.periods import say_date
from pipeline.profiles import KARTU_KLASIKAL, KARTU_NON_KLASIKAL
from pipeline.terms import UNKNOWN_OPD
from pipeline.workers import Piece

# Streams deflated only, not also ASCII85-encoded for 7-bit mail (reportlab's default): a page takes 10% less
# time and a file 12% less room, and renders the same.
rl_config.useA85 = 0
FONT, BOLD = "RekapJP-Vera", "RekapJP-VeraBd"
KARTU_TITLE = "KARTU PENGENDALIAN PEMENUHAN 20 JP PENGEMBANGAN KOMPETENSI DALAM 1 TAHUN"
CERTIFICATE_TITLE = "SERTIFIKAT"
# Lampiran III names the last column of each group "Dan lain-lain"
KARTU_GROUP_LABELS = {"Klasikal Lainnya": "Dan lain-lain", "Non Klasikal Lainnya": "Dan lain-lain"}


@dataclass(frozen=True)
class Letter:
    """What every document of a run says besides its rows."""

    instansi: Instansi
    basis: str  # the profile's legal basis
    year: int
    issued: dt.date  # the date under "Kota, tanggal"

    @property
    def place_date(self) -> str:
        return f"{self.instansi.kota}, {say_date(self.issued)}"


@functools.cache
def _fonts() -> frozenset[str]:
    """Register the fonts once; the characters they draw."""
    folder = Path(reportlab.__file__).parent / "fonts"
    regular = TTFont(FONT, str(folder / "Vera.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "VeraBd.ttf")))
    return frozenset(map(chr, regular.face.charToGlyph))


def lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` wrapped to `width` ([""] when empty); most lines fit whole, which one measure tells."""
    if text and pdfmetrics.stringWidth(text, font, size) <= width:
        return [text]
    return simpleSplit(text, font, size, width) or [""]


def printable(value: object) -> str:
    """Text the font can draw: a letter it lacks becomes its base letter (ā -> a, ő -> o), else '?'."""
    text = (
        "" if value is None or (isinstance(value, float) and pd.isna(value)) else " ".join(str(value).split())
    )
    drawn = _fonts()
    if drawn.issuperset(text):
        return text
    out = []
    for ch in text:
        if ch in drawn:
            out.append(ch)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if c in drawn and not unicodedata.combining(c)
        )
        out.append(base or "?")
    return "".join(out)


def jp_text(value: object) -> str:
    """JP exactly as the recap holds it (General format): 20, 28.8, 2.25, so the printed card and the
    register read the same."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 0.0
    return "0" if math.isnan(number) else f"{round(number, 2):g}"


def by_opd(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    opd = frame["Perangkat Daerah"].astype("string").fillna(UNKNOWN_OPD)
    return [(str(name), rows) for name, rows in frame.groupby(opd, sort=True)]


# ------------------------------------------------------------------------------------------ certificates


def write_certificates(folder: Path, register: pd.DataFrame, letter: Letter) -> list[Path]:
    """sertifikat_<TAHUN>/<Perangkat Daerah>.pdf: one A4 page per row of Daftar Sertifikat."""
    return _written(certificate_pieces(folder, register, letter))


def certificate_pieces(folder: Path, register: pd.DataFrame, letter: Letter) -> list[tuple[Path, Piece]]:
    """Each OPD's certificate file and the call that draws it."""
    return [
        (path, Piece(_certificate_file, (path, rows, letter))) for path, rows in _per_opd(folder, register)
    ]


def _per_opd(folder: Path, frame: pd.DataFrame) -> list[tuple[Path, pd.DataFrame]]:
    folder.mkdir(parents=True, exist_ok=True)
    return [(folder / f"{folder_name(opd)}.pdf", rows) for opd, rows in by_opd(frame)]


def _written(pieces: list[tuple[Path, Piece]]) -> list[Path]:
    for _, piece in pieces:
        piece()
    return [path for path, _ in pieces]


def _certificate_file(path: Path, rows: pd.DataFrame, letter: Letter) -> None:
    _fonts()
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"Sertifikat Coaching dan Mentoring {letter.year}")
    canvas.setAuthor("rekap-jp")
    start = _certificate_form(canvas, letter)
    for row in rows.to_dict("records"):
        canvas.doForm(_FORM)
        _certificate_body(canvas, row, letter, start)
        canvas.showPage()
    canvas.save()


_FORM = "sertifikat"
SIGNATURE_TOP = 9.5 * cm


class _Pen:
    """Lines drawn down an A4 page, each wrapped to the text width and centred (or left-aligned), into one
    text object that the canvas gets when the pen is closed (`with _Pen(...) as pen:`); a text object per
    line cost an eighth of a certificate's time."""

    def __init__(
        self,
        canvas: Canvas,
        top: float,
        left: float = 2.5 * cm,
        width: float = A4[0] - 5 * cm,
        leading: float = 1.25,
    ) -> None:
        self.canvas, self.y = canvas, top
        self.left, self.width, self.leading = left, width, leading
        self.text = canvas.beginText()
        self.font: tuple[str, float] | None = None

    def __enter__(self) -> _Pen:
        return self

    def __exit__(self, *_: object) -> None:
        self.canvas.drawText(self.text)

    def show(self, x: float, text: str, font: str, size: float) -> None:
        """`text` with its left end at x on the current line."""
        if self.font != (font, size):
            self.text.setFont(font, size)
            self.font = (font, size)
        self.text.setTextOrigin(x, self.y)
        self.text.textOut(text)

    def line(
        self, text: str, size: float, bold: bool = False, centred: bool = True, gap: float = 0.4
    ) -> None:
        font = BOLD if bold else FONT
        for part in lines(printable(text), font, size, self.width):
            self.y -= size * self.leading
            if centred:
                self.show(A4[0] / 2 - pdfmetrics.stringWidth(part, font, size) / 2, part, font, size)
            else:
                self.show(self.left, part, font, size)
        self.y -= gap * size

    def field(self, label: str, value: str, size: float = 11) -> None:
        """'Label : value', the value wrapped beside its label."""
        indent = 5.2 * cm
        parts = lines(printable(value), FONT, size, self.width - indent)
        for number, part in enumerate(parts):
            self.y -= size * 1.35
            if number == 0:
                self.show(self.left + 0.8 * cm, label, FONT, size)
                self.show(self.left + indent - 0.3 * cm, ":", FONT, size)
            self.show(self.left + indent, part, FONT, size)

    def rule(self, gap: float = 8) -> None:
        self.y -= gap
        self.canvas.setLineWidth(1.2)
        self.canvas.line(self.left, self.y, self.left + self.width, self.y)
        self.y -= gap


def _certificate_form(canvas: Canvas, letter: Letter) -> float:
    """What every certificate of a file shares, drawn once as a form: the border, the letterhead, the
    title, the legal basis and the signature. Returns where the certificate's own lines start."""
    org = letter.instansi
    canvas.beginForm(_FORM)
    canvas.setLineWidth(3)
    canvas.rect(1.2 * cm, 1.2 * cm, A4[0] - 2.4 * cm, A4[1] - 2.4 * cm)
    with _Pen(canvas, A4[1] - 2.2 * cm) as pen:
        pen.line(org.nama_pemerintah_daerah.upper(), 13, bold=True, gap=0.1)
        pen.line(org.nama_instansi.upper(), 14, bold=True, gap=0.1)
        pen.line(org.alamat, 9)
        pen.rule()
        pen.y -= 0.6 * cm
        pen.line(CERTIFICATE_TITLE, 28, bold=True, gap=0.2)
        start = pen.y
        basis = lines(printable(f"Dasar: {letter.basis}."), FONT, 9, pen.width)
        pen.y = SIGNATURE_TOP + 0.6 * cm + len(basis) * 9 * 1.25
        pen.line(f"Dasar: {letter.basis}.", 9)
    _signature(canvas, org.penandatangan, letter.place_date, top=SIGNATURE_TOP)
    canvas.endForm()
    return start


def _certificate_body(canvas: Canvas, row: dict[Any, Any], letter: Letter, top: float) -> None:
    with _Pen(canvas, top) as pen:
        pen.line(f"Nomor: {row['No Sertifikat']}", 11, gap=1.6)
        pen.line("Diberikan kepada:", 11, gap=0.8)
        pen.line(str(row["Nama"]), 18, bold=True, gap=0.6)
        pen.field("NIP", str(row["NIP"]))
        pen.field("Pangkat/Golongan", _or_dash(row.get("Pangkat/Gol")))
        pen.field("Jabatan", _or_dash(row.get("Jabatan")))
        pen.field("Perangkat Daerah", _or_dash(row.get("Perangkat Daerah")))
        pen.y -= 0.6 * cm
        pen.line(
            f"telah mengikuti kegiatan {row['Kegiatan']} sebanyak {int(row['Jumlah Sesi'])} sesi yang diakui, "
            f"pada periode {row['Periode']}, setara dengan {jp_text(row['JP'])} Jam Pelajaran (JP) "
            f"pengembangan kompetensi tahun {letter.year}.",
            12,
        )


def _signature(canvas: Canvas, person: Person, place_date: str, top: float) -> None:
    """Place and date, the signatory's jabatan, room to sign, the name and NIP: the right half of the page."""
    with _Pen(canvas, top, left=A4[0] / 2, width=A4[0] / 2 - 2.5 * cm, leading=1.3) as pen:
        pen.line(place_date, 11, centred=False, gap=0)
        pen.line(person.jabatan, 11, centred=False, gap=0)
        pen.y -= 2.2 * cm  # room to sign
        pen.line(person.nama, 11, bold=True, centred=False, gap=0)
        pen.line(f"NIP. {person.nip}", 11, centred=False, gap=0)


def _or_dash(value: object) -> str:
    text = printable(value)
    return text or "-"


# ------------------------------------------------------------------------------------------------ Kartu


def write_kartu(folder: Path, kartu: pd.DataFrame, letter: Letter) -> list[Path]:
    """kartu_<TAHUN>/<Perangkat Daerah>.pdf: Lampiran III with the OPD's employees, NIP under each name."""
    return _written(kartu_pieces(folder, kartu, letter))


def kartu_pieces(folder: Path, kartu: pd.DataFrame, letter: Letter) -> list[tuple[Path, Piece]]:
    """Each OPD's Kartu file and the call that draws it."""
    return [(path, Piece(_kartu_file, (path, rows, letter))) for path, rows in _per_opd(folder, kartu)]


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = ParagraphStyle("kartu", fontName=FONT, fontSize=8.5, leading=10.5)
    return {
        "cell": base,
        "head": ParagraphStyle(
            "head", parent=base, fontName=BOLD, fontSize=7.5, leading=9, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        ),
        "text": ParagraphStyle("text", parent=base, fontSize=10, leading=13),
    }


def _kartu_file(path: Path, rows: pd.DataFrame, letter: Letter) -> None:
    styles = _styles()
    opd = printable(rows["Perangkat Daerah"].iloc[0])
    doc = SimpleDocTemplate(
        str(path), pagesize=landscape(A4), leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.2 * cm,
        bottomMargin=1.2 * cm, title=f"Kartu Pengendalian 20 JP {opd} {letter.year}", author="rekap-jp",
        invariant=1,
    )  # fmt: skip
    story: list[Any] = [
        Paragraph(escape(KARTU_TITLE), styles["title"]),
        Paragraph(f"Perangkat Daerah: {escape(opd)} &nbsp;&nbsp; Tahun: {letter.year}", styles["text"]),
        Spacer(1, 0.3 * cm),
        _kartu_table(rows, styles, doc.width),
        Spacer(1, 0.4 * cm),
        KeepTogether(_kartu_signature(letter, letter.instansi.atasan_of(opd), styles)),
    ]
    doc.build(story)


def _kartu_table(rows: pd.DataFrame, styles: dict[str, ParagraphStyle], width: float) -> Flowable:
    """Lampiran III's grouped two-row header, repeated on every page; body cells are plain text wrapped to
    their column (a Paragraph per cell costs 4 ms a row)."""
    head = styles["head"]
    columns = [*KARTU_KLASIKAL, *KARTU_NON_KLASIKAL]
    groups = [
        ["No", "Nama / NIP", "Klasikal", "", "", "", "Non Klasikal", "", "", "Total JP", "Status 20 JP"],
        ["", "", *(KARTU_GROUP_LABELS.get(c, c) for c in columns), "", ""],
    ]
    header = [[Paragraph(escape(text), head) if text else "" for text in line] for line in groups]
    numbers, status = 2.2 * cm, 2.6 * cm
    widths = [1.0 * cm, width - 1.0 * cm - 8 * numbers - status, *([numbers] * 8), status]
    padding = 12  # TableStyle's default 6 pt a side
    body = [
        [
            str(number),
            _wrapped(f"{r['Nama']}", widths[1] - padding) + f"\nNIP. {printable(r['NIP'])}",
            *(jp_text(r[c]) for c in columns),
            jp_text(r["Total JP"]),
            _wrapped(r["Status 20 JP"], status - padding),
        ]
        for number, r in enumerate(rows.to_dict("records"), start=1)
    ]
    return _PagedTable(header, body, [_row_height(row) for row in body], widths)


class _PagedTable(Flowable):
    """The Kartu table, one page's rows at a time under the two header rows. A single platypus Table
    re-measured all its remaining rows each time it was split over a page (a 4,000-employee OPD took 10x
    as long as a 1,000-employee one), and a Table spends twice its text's cost on every cell; here the
    header is a small Table drawn once per document as a form (one Kartu table per document: the form is
    found by name) and the body is drawn straight (`_draw_body`). Pages break where a single Table broke
    them: after the last row whose cumulative height (header included) fits."""

    def __init__(
        self, header: list[list[Any]], body: list[list[str]], heights: list[float], widths: list[float],
        header_heights: list[float] | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.header, self.body, self.heights, self.widths = header, body, heights, widths
        self.hAlign = "CENTER"  # as a Table is placed
        # the header's two rows measured once: wrapping their Paragraphs on every page was a fifth of the time
        self.header_heights = header_heights or self._measured_header()

    def _measured_header(self) -> list[float]:
        heading = self._header_table()
        heading.wrap(sum(self.widths), A4[0])
        return list(heading._rowHeights)

    def _header_table(self, heights: list[float] | None = None) -> Table:
        heading = Table(self.header, colWidths=self.widths, rowHeights=heights)
        heading.setStyle(_KARTU_HEADER_STYLE)
        return heading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = sum(self.header_heights) + sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        used, fits = 0.0, 0
        for height in itertools.chain(self.header_heights, self.heights):
            if used + height > availHeight:
                break
            used, fits = used + height, fits + 1
        rows = fits - 2
        if rows <= 0:
            return []  # not even one row under the header: the next page
        if rows >= len(self.body):
            return [self]
        return [self._rows(0, rows), self._rows(rows, len(self.body))]

    def _rows(self, start: int, stop: int) -> _PagedTable:
        return _PagedTable(
            self.header, self.body[start:stop], self.heights[start:stop], self.widths, self.header_heights
        )

    def draw(self) -> None:
        """The header, drawn once per file as a form and placed atop each page, then the page's rows."""
        canvas, head = self.canv, sum(self.header_heights)
        top = self.height - head
        if not canvas.hasForm(_KARTU_HEADER_FORM):
            margin = 2  # room for the grid's half-width on the form's edges: a form is clipped to its box
            canvas.beginForm(_KARTU_HEADER_FORM, -margin, -margin, self.width + margin, head + margin)
            heading = self._header_table(self.header_heights)
            heading.wrapOn(canvas, self.width, self.height)
            heading.drawOn(canvas, 0, 0)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(0, top)
        canvas.doForm(_KARTU_HEADER_FORM)
        canvas.restoreState()
        _draw_body(canvas, self.body, self.heights, self.widths, top)


def _draw_body(
    canvas: Canvas, body: list[list[str]], heights: list[float], widths: list[float], top: float
) -> None:
    """The body rows below `top` as a Table draws plain-text cells (valign TOP: the first baseline one font
    size below the 3 pt top padding; 6 pt padding a side) and its 0.5 pt black grid with round caps and
    joins, in the same order (row by row, cell by cell, then the lines), as one text object."""
    lefts = list(itertools.accumulate(widths, initial=0.0))
    text = canvas.beginText()
    text.setFont(FONT, KARTU_FONT_SIZE, KARTU_LEADING)
    y = top
    bottoms = []
    for row, height in zip(body, heights, strict=True):
        for column, cell in enumerate(row):
            for number, part in enumerate(cell.split("\n")):
                if part:
                    x = _anchor(KARTU_ALIGN[column], lefts[column], widths[column], part)
                    text.setTextOrigin(x, y - 3 - KARTU_FONT_SIZE - number * KARTU_LEADING)
                    text.textOut(part)
        y -= height
        bottoms.append(y)
    canvas.saveState()
    canvas.drawText(text)
    canvas.setLineWidth(0.5)
    canvas.setStrokeColor(colors.black)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    canvas.lines([(0, b, lefts[-1], b) for b in bottoms] + [(x, top, x, y) for x in lefts])
    canvas.restoreState()


def _anchor(align: str, left: float, width: float, part: str) -> float:
    """Where a Table starts a line of text in a cell (6 pt padding a side)."""
    if align == "LEFT":
        return left + 6
    measured = pdfmetrics.stringWidth(part, FONT, KARTU_FONT_SIZE)
    if align == "RIGHT":
        return left + width - 6 - measured
    return left + width / 2 - measured / 2


def _row_height(cells: list[str]) -> float:
    """What reportlab would measure for a row of plain-text cells (its lines times the leading, plus the
    3 pt top and bottom padding), given up front: measuring costs it a pass over every cell per page."""
    return KARTU_LEADING * max(cell.count("\n") + 1 for cell in cells) + (3 + 3)


def _wrapped(value: object, width: float) -> str:
    return "\n".join(lines(printable(value), FONT, KARTU_FONT_SIZE, width))


KARTU_FONT_SIZE = 8.5
KARTU_LEADING = KARTU_FONT_SIZE * 1.2


# The two header rows (a Table drawn once per file as a form); the body below them is drawn by _draw_body.
_KARTU_HEADER_FORM = "kartu_header"
_KARTU_HEADER_STYLE = TableStyle(
    [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (5, 0)),
        ("SPAN", (6, 0), (8, 0)),
        ("SPAN", (9, 0), (9, 1)),
        ("SPAN", (10, 0), (10, 1)),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#DDEBF7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
)
# Body cells: No centred, the eight JP columns right-aligned, the name and the status left
KARTU_ALIGN = ("CENTER", "LEFT", *["RIGHT"] * 8, "LEFT")


def _kartu_signature(letter: Letter, atasan: Person | None, styles: dict[str, ParagraphStyle]) -> list[Any]:
    """Lampiran III: place and date, "Mengetahui, Atasan Langsung (Jabatan)", room to sign, (Nama), NIP;
    blank lines to fill by hand when instansi.toml names no atasan for this OPD."""
    text = styles["text"]
    jabatan = printable(atasan.jabatan) if atasan and atasan.jabatan else "." * 50
    nama = printable(atasan.nama) if atasan and atasan.nama else "." * 50
    nip = printable(atasan.nip) if atasan and atasan.nip else "." * 40
    lines = [
        escape(printable(letter.place_date)),
        "Mengetahui,",
        f"Atasan Langsung ({escape(jabatan)})",
        "<br/><br/>",
        f"({escape(nama)})",
        f"NIP. {escape(nip)}",
    ]
    block = Table([[Paragraph(line, text)] for line in lines], colWidths=[11 * cm], hAlign="RIGHT")
    padding = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    block.setStyle(TableStyle(padding))
    return [block]


def write_documents(output: Path, register: pd.DataFrame, kartu: pd.DataFrame, letter: Letter) -> list[Path]:
    """Both folders of documents for one year, below `output`."""
    return [
        *write_certificates(output / f"sertifikat_{letter.year}", register, letter),
        *write_kartu(output / f"kartu_{letter.year}", kartu, letter),
    ]
