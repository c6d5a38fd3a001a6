"""The named output files of SPEC §6, assembled from the summary tables with the generic writer."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.discover import InputFile
from pipeline.excel import MAX_ROWS
from pipeline.findings import REPORT_COLUMNS, RULES
from pipeline.history import INDIKATOR_SHEET, PEOPLE_SHEET
from pipeline.layout import SCORE_FIELDS, score_note
from pipeline.mark import MARKED_SUFFIX, marked_stem, write_marked_copy
from pipeline.profiles import Profile
from pipeline.report import CELL, COLUMN
from pipeline.summarise import DETAIL_COLUMNS, Tables
from pipeline.terms import REPORT_ORDER, STATUS_KEYS, TERPENUHI
from pipeline.workers import Piece
from pipeline.write import (
    CONSTANT_MEMORY_ROWS,
    Book,
    Percent,
    atomic_path,
    continuation_names,
    open_workbook,
    split_rows,
    write_frame,
    write_key_values,
)

# Evaluasi Coach: what each P column scored (the Formulir Evaluasi Coaching's statements)
SCORE_NOTES = {field.upper(): score_note(field) for field in SCORE_FIELDS}
DETAIL_SHEET_ROWS = MAX_ROWS - 1  # the header takes one of Excel's 1,048,576 rows


def write_rekap(path: Path, tables: Tables, headline: list[tuple[str, Any]], year: int) -> list[Path]:
    """rekap_<TAHUN>.xlsx; returns every file written (plus the Parquet detail when the sheet overflows)."""
    written = [path]
    chunks = split_rows(detail_for_sheet(tables.detail), DETAIL_SHEET_ROWS)
    with open_workbook(path, constant_memory=len(tables.detail) > CONSTANT_MEMORY_ROWS) as book:
        _ringkasan(book, tables, headline)
        book.table(PEOPLE_SHEET, tables.rekap_pegawai)
        book.table("Rekap Bulanan", tables.rekap_bulanan)
        book.table("Rekap OPD", tables.rekap_opd, percent=("Persentase Memenuhi",))
        for name, chunk in zip(continuation_names("Detail Kegiatan", len(chunks)), chunks, strict=True):
            book.table(name, chunk, wrap=("Keterangan",))
        book.table("Evaluasi Coach", tables.evaluasi_coach, notes=SCORE_NOTES)
        book.table("Penilaian Mentor", tables.penilaian_mentor)
        book.table("Daftar Sertifikat", tables.sertifikat)
        if tables.perubahan is not None:
            book.table(
                "Perubahan",
                tables.perubahan,
                wrap=("Nama", "Perangkat Daerah", "Sebab Perubahan"),
                narrow=True,
            )
    if len(chunks) > 1:
        parquet = path.with_name(f"detail_kegiatan_{year}.parquet")
        with atomic_path(parquet) as temp:
            # typed for other tools: Tanggal is a date column, the text the OPD typed sits in "Tanggal (teks)"
            tables.detail.to_parquet(temp, index=False)
        written.append(parquet)
    return written


def rekap_headline(
    tables: Tables, recon: dict[str, int], profile: Profile, year: int, file_counts: list[tuple[str, int]],
    comparison: list[tuple[str, Any]],
) -> list[tuple[str, Any]]:  # fmt: skip
    """The figures at the top of Ringkasan, then (after a correction round) how they moved."""
    people = tables.rekap_pegawai
    met = int(people["Status 20 JP"].eq(TERPENUHI).sum())
    return [
        ("Tahun laporan", year),
        ("Profil aturan", f"{profile.id} ({profile.name})"),
        ("Dasar hukum", profile.basis),
        *((("Dasar hukum kegiatan lain", profile.other_basis),) if profile.other_basis else ()),
        ("Dasar indikator IP ASN", profile.ip_asn_basis),
        *file_counts,
        ("Baris kegiatan dibaca", recon["rows_read"]),
        *((status, recon[STATUS_KEYS[status]]) for status in REPORT_ORDER),
        ("Jumlah pegawai", len(people)),
        ("Pegawai memenuhi 20 JP", met),
        ("Persentase memenuhi 20 JP", Percent(round(met / len(people), 4) if len(people) else 0.0)),
        ("Total JP", round(float(people["JP Total"].sum()), 2)),
        *comparison,
    ]


def detail_for_sheet(detail: pd.DataFrame) -> pd.DataFrame:
    """Tanggal as a date where it parsed, else the text the OPD typed (so a rejected date stays visible).
    The dates become Python datetimes through numpy: pandas' own Timestamp objects took ten times as long to
    make, and three times as long for the writer to read back (1 s of the recap's 5 s at 200k rows)."""
    dates = detail["Tanggal"]
    tanggal = np.where(
        dates.notna().to_numpy(),
        dates.to_numpy(dtype="datetime64[us]").astype(object),
        detail["Tanggal (teks)"].to_numpy(dtype=object),
    )
    return detail.assign(Tanggal=pd.Series(tanggal, index=detail.index, dtype=object))[DETAIL_COLUMNS]


def _ringkasan(book: Book, tables: Tables, headline: list[tuple[str, Any]]) -> None:
    ws = book.sheet("Ringkasan")
    ws.write_string(0, 0, "Rekapitulasi Pengembangan Kompetensi 20 JP", book.title)
    row = write_key_values(book, ws, headline, 2) + 1
    dist_top = row
    row = write_frame(book, ws, tables.jp_distribution, dist_top) + 1
    opd_top = row
    opd = tables.capaian_opd[["Perangkat Daerah", "Persentase Memenuhi"]]
    row = write_frame(book, ws, opd, opd_top, percent=("Persentase Memenuhi",)) + 1
    month_top = row
    write_frame(book, ws, tables.sessions_per_month, month_top)
    longest_opd = int(opd["Perangkat Daerah"].str.len().max()) if len(opd) else 0
    ws.set_column(0, 0, min(max(30, longest_opd + 2), 60))
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2, 14)
    charts = [
        ("column", "Sebaran JP per Pegawai", dist_top, len(tables.jp_distribution), [1]),
        ("bar", "Persentase Pegawai Memenuhi 20 JP per OPD", opd_top, len(opd), [1]),
        ("column", "Sesi Dihitung per Bulan", month_top, 12, [1, 2]),
    ]
    anchor = 2
    for kind, title, top, count, value_cols in charts:
        height = max(288, 24 * count + 80) if kind == "bar" else 288
        ws.insert_chart(anchor, 3, _chart(book, kind, title, top, count, value_cols, height))
        anchor += int(height / 20) + 2


def _chart(
    book: Book, kind: str, title: str, top: int, count: int, value_cols: list[int], height: int
) -> Any:
    """A Ringkasan chart over the table whose header is at row `top` with `count` rows below it."""
    chart = book.workbook.add_chart({"type": kind})
    for col in value_cols:
        chart.add_series(
            {
                "name": ["Ringkasan", top, col],
                "categories": ["Ringkasan", top + 1, 0, top + max(count, 1), 0],
                "values": ["Ringkasan", top + 1, col, top + max(count, 1), col],
                "data_labels": (
                    {"value": True, "num_format": "0%" if kind == "bar" else "General"}
                    if len(value_cols) == 1
                    else {}
                ),
            }
        )
    chart.set_title({"name": title})
    chart.set_legend({"position": "bottom"} if len(value_cols) > 1 else {"none": True})
    chart.set_size({"width": 620, "height": height})
    return chart


def ip_asn_sheets(tables: Tables) -> dict[str, pd.DataFrame]:
    """The sheets of ip_asn_<TAHUN>.xlsx, in order (small: one row per employee or OPD)."""
    return {
        "Kartu Pengendalian 20 JP": tables.kartu,
        "Capaian OPD": tables.capaian_opd,
        "Belum 20 JP": tables.belum,
        INDIKATOR_SHEET: tables.indikator,
    }


def write_ip_asn(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    with open_workbook(path) as book:
        for name, frame in sheets.items():
            book.table(name, frame, percent=("Persentase Memenuhi",))


KNOWN_OPDS_SHEET = "Daftar OPD"


def write_unit_map(path: Path, table: pd.DataFrame, year: int, known: tuple[str, ...] = ()) -> None:
    """peta_unor_<TAHUN>.xlsx: not marked as an output, so the completed file is read when dropped in. Its
    Perangkat Daerah cells offer the run's known OPD names (sheet Daftar OPD) as a dropdown."""
    with open_workbook(path, own_output=False, title=f"Peta Unor {year}") as book:
        ws = book.table("Peta Unor", table)
        if not known:
            return
        book.table(KNOWN_OPDS_SHEET, pd.DataFrame({"Perangkat Daerah": sorted(known)}))
        col = table.columns.get_loc("Perangkat Daerah")
        ws.data_validation(1, col, max(len(table), 1), col, {
            "validate": "list", "source": f"='{KNOWN_OPDS_SHEET}'!$A$2:$A${len(known) + 1}",
            "error_type": "warning", "error_title": "Perangkat Daerah tidak dikenal",
            "error_message": "Pilih nama dari daftar (sheet Daftar OPD) agar unit ini dipetakan.",
        })  # fmt: skip


def write_findings_report(path: Path, report: pd.DataFrame, title: str) -> None:
    """A validation workbook: summaries first, then every finding in `Temuan`."""
    with open_workbook(path) as book:
        ws = book.sheet("Ringkasan")
        ws.write_string(0, 0, title, book.title)
        kesalahan = int(report["Tingkat"].eq("Kesalahan").sum())
        pairs = [
            ("Jumlah temuan", len(report)),
            ("Kesalahan", kesalahan),
            ("Peringatan", len(report) - kesalahan),
        ]
        row = write_key_values(book, ws, pairs, 2) + 1
        by_code = report.groupby(["Kode", "Tingkat"]).size().rename("Jumlah").reset_index()
        by_code.insert(1, "Judul", by_code["Kode"].map({c: r.title for c, r in RULES.items()}))
        row = write_frame(book, ws, by_code, row) + 1
        by_file = (
            report.assign(K=report["Tingkat"].eq("Kesalahan"), P=report["Tingkat"].eq("Peringatan"))
            .groupby(["Perangkat Daerah", "File"])[["K", "P"]]
            .sum()
            .rename(columns={"K": "Kesalahan", "P": "Peringatan"})
            .reset_index()
        )
        write_frame(book, ws, by_file, row)
        # printed by the OPD's clerk: one finding per line of paper, not its message pages away from its row
        wrapped = ("File", "Sheet", "Nilai", "Pesan", "Saran Perbaikan")
        rows = report[REPORT_COLUMNS].assign(
            Baris=report["Baris"].where(report["Baris"].gt(0)).astype("Int64")
        )
        book.table("Temuan", rows, wrap=wrapped, narrow=True)  # a finding about a file or sheet: no Baris


MAX_STEM = 100  # a report's stem; longer ones are cut and end in a hash of the input's path


def report_stems(files: list[InputFile]) -> dict[str, str]:
    """A file-name stem per input, distinct even where file systems ignore case: its own stem; where two
    share it, its path with folders joined by '__'; where those still meet (dinas.xls beside dinas.xlsx),
    the extension too (dinas_xls); then, for any name still shared or too long, a hash of the path at its end."""
    names = {f.rel: _safe(Path(f.rel).stem) for f in files}
    ways = (
        lambda rel: Path(rel).with_suffix("").as_posix().replace("/", "__"),
        lambda rel: rel.replace("/", "__").replace(".", "_"),
    )
    for way in ways:
        for rel in _shared(names):
            names[rel] = _safe(way(rel))
    for rel in {*_shared(names), *(r for r, name in names.items() if len(name) > MAX_STEM)}:
        digest = hashlib.sha1(rel.encode("utf-8")).hexdigest()[:8]
        names[rel] = f"{names[rel][: MAX_STEM - 9]}_{digest}"
    return names


def _shared(names: dict[str, str]) -> list[str]:
    """The inputs whose name another input has too (case aside)."""
    counts = Counter(name.casefold() for name in names.values())
    return [rel for rel, name in names.items() if counts[name.casefold()] > 1]


def _safe(name: str) -> str:
    """A name every file system takes: no reserved or control characters, no trailing dot or space."""
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", name).rstrip(" .") or "_"


def marked_names(stems: dict[str, str]) -> dict[str, str]:
    """The marked copy's file name per input: <stem>_ditandai.xlsx, a returned marked copy keeping its own
    name (never x_ditandai_ditandai.xlsx); an original beside its returned copy (x.xlsx beside
    x_ditandai.xlsx) becomes x_asli_ditandai.xlsx."""
    wanted = {rel: marked_stem(stem) for rel, stem in stems.items()}
    shared = Counter(wanted.values())
    return {
        rel: f"{name if shared[name] == 1 or stems[rel] == name else stems[rel] + ORIGINAL_SUFFIX}.xlsx"
        for rel, name in wanted.items()
    }


ORIGINAL_SUFFIX = "_asli" + MARKED_SUFFIX


def validation_pieces(
    output: Path, report: pd.DataFrame, files: list[InputFile], sources: dict[str, dict[str, int]],
    year: int, subfolder: str = "validasi",
) -> tuple[ValidationFiles, list[Piece]]:  # fmt: skip
    """The validation reports: what will be written (Ringkasan, a report per workbook, a marked copy per
    readable workbook with something to mark) and the independent calls that write it, the Ringkasan first,
    then one per workbook. `sources`: readable workbook -> its sheets' header rows."""
    folder = output / subfolder if subfolder else output
    summary = folder / f"ringkasan_validasi_{year}.xlsx"
    made = ValidationFiles(written=[summary])
    pieces = [Piece(write_findings_report, (summary, report, f"Ringkasan Validasi {year}"))]
    stems = report_stems(files)
    marked_as = marked_names(stems)
    # split in one pass, not one full comparison per file
    per_file = {str(rel): rows for rel, rows in report.groupby("File", sort=False)}
    for f in files:
        if not f.is_workbook:
            continue
        own = per_file.get(f.rel, report.iloc[0:0])
        made.reports[f.rel] = folder / f"{stems[f.rel]}_validasi.xlsx"
        to_mark = own[
            own["Lingkup"].isin([CELL, COLUMN])
        ]  # a finding about a whole file or sheet marks no cell
        if len(to_mark) and f.rel in sources:
            made.marked[f.rel] = folder / marked_as[f.rel]
        marking = (f.path, made.marked[f.rel], to_mark, sources[f.rel]) if f.rel in made.marked else None
        pieces.append(Piece(write_file_validation, (made.reports[f.rel], own, f"Validasi {f.rel}", marking)))
    made.written += [*made.reports.values(), *made.marked.values()]
    return made, pieces


def write_file_validation(
    path: Path,
    report: pd.DataFrame,
    title: str,
    marking: tuple[Path, Path, pd.DataFrame, dict[str, int]] | None,
) -> None:
    """One workbook's `_validasi` report and, when it has cells to mark, its `_ditandai` copy."""
    write_findings_report(path, report, title)
    if marking is not None:
        write_marked_copy(*marking)


@dataclass
class ValidationFiles:
    """The validation reports' files: every one, and per input (rel) its report and its marked copy."""

    written: list[Path]
    reports: dict[str, Path] = field(default_factory=dict)
    marked: dict[str, Path] = field(default_factory=dict)
