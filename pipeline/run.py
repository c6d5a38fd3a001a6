"""The whole batch: discover -> read -> normalise -> validate -> compute -> write. File I/O only at the ends."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from pipeline import __version__, layout
from pipeline.compute import assign_status, reconciliation
from pipeline.discover import InputFile, discover
from pipeline.findings import KESALAHAN, REJECTING_CODES, concat_findings, file_finding, render
from pipeline.mark import write_marked_copy
from pipeline.normalise import Batch, collect
from pipeline.outputs import (
    ip_asn_sheets,
    sha256_file,
    write_findings_report,
    write_ip_asn,
    write_manifest,
    write_rekap,
)
from pipeline.profiles import Profile, ProfileError, load_profile
from pipeline.read import WorkbookData, column_index, read_workbook, sha256_of
from pipeline.summarise import Tables, build_tables
from pipeline.validate import resolve_activity, validate


class UsageError(Exception):
    """The command was asked for something impossible (exit code 2)."""


class NothingReadable(Exception):
    """No input could be read at all (exit code 3)."""


@dataclass
class RunConfig:
    input: Path
    output: Path
    profile: str = "nganjuk-2025"
    year: int | None = None
    roster: Path | None = None
    jobs: int = 1
    today: dt.date = field(default_factory=dt.date.today)
    validate_only: bool = False
    progress: bool = False


@dataclass
class RunResult:
    year: int
    profile: Profile
    reconciliation: dict[str, int]
    evaluations: dict[str, int]
    findings: pd.DataFrame
    outputs: list[Path]
    files: int
    kesalahan: int
    timings: dict[str, float] = field(default_factory=dict)


def run(config: RunConfig, clock: Callable[[], float] | None = None) -> RunResult:
    import time

    tick = clock or time.perf_counter
    timings: dict[str, float] = {}
    start = tick()
    try:
        profile = load_profile(config.profile)
    except ProfileError as exc:
        raise UsageError(str(exc)) from exc
    if not config.input.is_dir():
        raise UsageError(f"Folder masukan '{config.input}' tidak ada.")
    if config.roster is not None and not config.roster.is_file():
        raise UsageError(f"Berkas Data Pegawai '{config.roster}' tidak ada.")

    files = discover(config.input, exclude=config.output)
    timings["discover"] = tick() - start
    start = tick()
    workbooks = read_all([f for f in files if f.is_workbook], config)
    if config.roster is not None and config.roster.resolve() not in {w.path.resolve() for w in workbooks}:
        workbooks.append(read_workbook(config.roster, config.roster.name))
    timings["read"] = tick() - start
    if not any(book.sheets for book in workbooks):
        raise NothingReadable("Tidak ada lembar kerja yang dapat dibaca di folder masukan.")

    start = tick()
    batch = collect(workbooks)
    for book in workbooks:  # raw cells are typed now: free them (the largest objects of a big run)
        book.sheets.clear()
    skipped = [
        file_finding(f.rel, "FILE_UNSUPPORTED", f.path.suffix.lower() or "tanpa ekstensi")
        for f in files
        if not f.is_workbook
    ]
    batch.file_findings.extend(skipped)
    year = config.year or detect_year(batch)
    timings["normalise"] = tick() - start

    start = tick()
    findings = validate(batch, profile, year, config.today)
    timings["validate"] = tick() - start
    start = tick()
    acts, status_findings = assign_status(
        batch.activities.assign(activity=resolve_activity(batch.activities, profile)), findings, profile, year
    )
    all_findings = concat_findings([pd.DataFrame(batch.file_findings), findings, status_findings])
    eval_status = evaluation_status(batch, all_findings)
    tables = build_tables(batch, acts, eval_status, profile, year)
    timings["compute"] = tick() - start

    start = tick()
    report = report_frame(all_findings, batch)
    readable = {w.rel: w.readable for w in batch.workbooks}
    outputs: list[Path] = []
    with contextlib.ExitStack() as stack:
        # The two groups of workbooks are independent: with a second core, write them side by side.
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=1)) if config.jobs > 1 else None
        ip_sheets = None if config.validate_only else ip_asn_sheets(tables)
        args = (config.output, ip_sheets, report, files, readable, year)
        pending = pool.submit(write_side_outputs, *args) if pool else None
        if not config.validate_only:
            outputs += write_rekap_output(config.output, tables, profile, year, batch, acts)
        outputs += pending.result() if pending else write_side_outputs(*args)
    recon = reconciliation(acts)
    evals = {
        "rows_read": len(eval_status),
        "accepted": int(eval_status["accepted"].sum()),
        "rejected": int((~eval_status["accepted"]).sum()),
    }
    if not config.validate_only:
        manifest_path = config.output / f"manifest_{year}.json"
        manifest = build_manifest(
            profile, year, files, workbooks, acts, all_findings, recon, evals, outputs, config
        )
        write_manifest(manifest_path, manifest)
        outputs.append(manifest_path)
    timings["write"] = tick() - start
    return RunResult(
        year=year,
        profile=profile,
        reconciliation=recon,
        evaluations=evals,
        findings=report,
        outputs=outputs,
        files=len(files),
        kesalahan=int(report["Tingkat"].eq(KESALAHAN).sum()),
        timings=timings,
    )


def read_all(files: list[InputFile], config: RunConfig) -> list[WorkbookData]:
    bar = tqdm(
        total=len(files), desc="Membaca berkas", unit="berkas", disable=not config.progress, file=sys.stderr
    )
    try:
        if config.jobs > 1 and len(files) > 3:
            with ProcessPoolExecutor(max_workers=config.jobs) as pool:
                books = []
                for book in pool.map(read_workbook, [f.path for f in files], [f.rel for f in files]):
                    books.append(book)
                    bar.update()
                return books
        books = []
        for f in files:
            books.append(read_workbook(f.path, f.rel))
            bar.update()
        return books
    finally:
        bar.close()


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def detect_year(batch: Batch) -> int:
    """The report year from the submissions: Identitas Tahun per file, else the most common year of its dates."""
    acts = batch.activities
    if not len(acts):
        raise UsageError("Tahun laporan tidak dapat ditentukan (tidak ada baris kegiatan); gunakan --year.")
    per_file = acts.groupby("file").agg(
        tahun=("tahun", "first"),
        dated=("tanggal", lambda d: d.dt.year.mode().min() if d.notna().any() else None),
    )
    years = per_file["tahun"].where(per_file["tahun"].between(2000, 2100), per_file["dated"]).dropna()
    found = sorted({int(y) for y in years})
    if not found:
        raise UsageError("Tahun laporan tidak dapat ditentukan dari berkas; gunakan --year.")
    if len(found) > 1:
        listed = ", ".join(str(y) for y in found)
        raise UsageError(
            f"Berkas masukan berisi beberapa tahun laporan ({listed}); pilih satu dengan --year."
        )
    return found[0]


def evaluation_status(batch: Batch, findings: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in (batch.evaluations, batch.assessments) if len(f)]
    uids = pd.concat([f["uid"] for f in frames]) if frames else pd.Series(dtype="int64")
    rejected = findings.loc[findings["code"].isin(REJECTING_CODES), "uid"]
    return pd.DataFrame({"uid": uids.to_numpy(), "accepted": ~uids.isin(rejected).to_numpy()})


def report_frame(findings: pd.DataFrame, batch: Batch) -> pd.DataFrame:
    """Findings in the report form of SPEC §6, sorted as the user reads a workbook."""
    lay = batch.layout.drop_duplicates(["file", "sheet", "field"]).set_index(["file", "sheet", "field"])
    keys = pd.MultiIndex.from_frame(findings[["file", "sheet", "field"]])
    letters = pd.Series(lay["letter"].reindex(keys).to_numpy(), index=findings.index).fillna("")
    headers = pd.Series(lay["header"].reindex(keys).to_numpy(), index=findings.index)
    pairs = findings[["sheet", "field"]].drop_duplicates()
    canonical = {(s, f): _canonical_header(s, f) for s, f in zip(pairs["sheet"], pairs["field"], strict=True)}
    sheet_field = pd.Series(
        list(zip(findings["sheet"], findings["field"], strict=True)), index=findings.index, dtype=object
    )
    labels = headers.fillna(sheet_field.map(canonical))
    report = render(findings, labels.fillna(""), letters)
    report["Perangkat Daerah"] = findings["file"].map(_opd_by_file(batch)).fillna("").to_numpy()
    report["_col"] = report["Kolom"].map({c: column_index(c) for c in report["Kolom"].unique()})
    report = report.sort_values(["File", "Sheet", "Baris", "_col", "Kode"], kind="stable", ignore_index=True)
    return report.drop(columns="_col")


def _canonical_header(sheet: str, field_name: str) -> str:
    kind = layout.sheet_kind(sheet)
    return layout.header_of(kind, field_name) if kind else field_name


def _opd_by_file(batch: Batch) -> dict[str, str]:
    found: dict[str, str] = {}
    for frame in (batch.activities, batch.evaluations, batch.assessments):
        if "opd" in frame.columns and len(frame):
            pairs = frame.drop_duplicates("file").set_index("file")["opd"].dropna()
            found.update({str(k): str(v) for k, v in pairs.items()})
    return found


def write_side_outputs(
    output: Path, ip_sheets: dict[str, pd.DataFrame] | None, report: pd.DataFrame, files: list[InputFile],
    readable: dict[str, bool], year: int,
) -> list[Path]:  # fmt: skip
    """ip_asn_<TAHUN>.xlsx and the validation reports: everything but the recap, for the second core."""
    written = []
    if ip_sheets is not None:
        ip = output / f"ip_asn_{year}.xlsx"
        write_ip_asn(ip, ip_sheets)
        written.append(ip)
    return written + write_validation(output, report, files, readable, year)


def write_rekap_output(
    output: Path, tables: Tables, profile: Profile, year: int, batch: Batch, acts: pd.DataFrame
) -> list[Path]:
    recon = reconciliation(acts)
    people = tables.rekap_pegawai
    met = int(people["Status 20 JP"].eq("Terpenuhi").sum())
    headline: list[tuple[str, Any]] = [
        ("Tahun laporan", year),
        ("Profil aturan", f"{profile.id} ({profile.name})"),
        ("Dasar hukum", profile.basis),
        ("Berkas dibaca", sum(1 for w in batch.workbooks if w.readable)),
        ("Baris kegiatan dibaca", recon["rows_read"]),
        ("Dihitung", recon["counted"]),
        ("Melebihi Batas Bulanan", recon["capped"]),
        ("Duplikat", recon["duplicate"]),
        ("Di Luar Periode", recon["out_of_period"]),
        ("Ditolak", recon["rejected"]),
        ("Jumlah pegawai", len(people)),
        ("Pegawai memenuhi 20 JP", met),
        ("Persentase memenuhi 20 JP", f"{(100 * met / len(people)) if len(people) else 0:.2f}%"),
        ("Total JP", round(float(people["JP Total"].sum()), 2)),
    ]
    return write_rekap(output / f"rekap_{year}.xlsx", tables, headline, year)


def report_stems(files: list[InputFile]) -> dict[str, str]:
    """A unique file-name stem per input (folders joined with '__' when two files share a stem)."""
    stems = [Path(f.rel).stem for f in files]
    out = {}
    for f, stem in zip(files, stems, strict=True):
        name = stem if stems.count(stem) == 1 else Path(f.rel).with_suffix("").as_posix().replace("/", "__")
        out[f.rel] = re.sub(r'[<>:"\\|?*]', "_", name)
    return out


def write_validation(
    output: Path, report: pd.DataFrame, files: list[InputFile], readable: dict[str, bool], year: int
) -> list[Path]:
    folder = output / "validasi"
    summary = folder / f"ringkasan_validasi_{year}.xlsx"
    write_findings_report(summary, report, f"Ringkasan Validasi {year}")
    written = [summary]
    stems = report_stems(files)
    for f in files:
        if not f.is_workbook:
            continue
        own = report[report["File"].eq(f.rel)]
        path = folder / f"{stems[f.rel]}_validasi.xlsx"
        write_findings_report(path, own, f"Validasi {f.rel}")
        written.append(path)
        if len(own) and readable.get(f.rel, False):
            marked = folder / f"{stems[f.rel]}_ditandai.xlsx"
            write_marked_copy(f.path, marked, own)
            written.append(marked)
    return written


def build_manifest(
    profile: Profile,
    year: int,
    files: list[InputFile],
    workbooks: list[WorkbookData],
    acts: pd.DataFrame,
    findings: pd.DataFrame,
    recon: dict[str, int],
    evals: dict[str, int],
    outputs: list[Path],
    config: RunConfig,
) -> dict[str, Any]:
    by_rel = {w.rel: w for w in workbooks}
    rows = acts.groupby("file").size()
    rejected = acts[acts["status"].eq("Ditolak")].groupby("file").size()
    inputs = []
    for f in files:
        book = by_rel.get(f.rel)
        status = "skipped" if book is None else ("read" if book.readable else "unreadable")
        inputs.append(
            {
                "path": f.rel,
                "sha256": book.sha256 if book else sha256_of(f.path),
                "status": status,
                "rows_read": int(rows.get(f.rel, 0)),
                "rows_rejected": int(rejected.get(f.rel, 0)),
            }
        )
    if config.roster is not None and config.roster.name not in {f.rel for f in files}:
        inputs.append(
            {
                "path": str(config.roster),
                "sha256": sha256_of(config.roster),
                "status": "roster",
                "rows_read": 0,
                "rows_rejected": 0,
            }
        )

    return {
        "program": "rekap-jp",
        "program_version": __version__,
        "profile": {"id": profile.id, "version": profile.version, "sha256": profile.sha256},
        "year": year,
        "inputs": inputs,
        **recon,
        "reconciliation": recon,
        "reconciles": recon["rows_read"] == sum(v for k, v in recon.items() if k != "rows_read"),
        "evaluations": {**evals, "reconciles": evals["rows_read"] == evals["accepted"] + evals["rejected"]},
        "findings": {"total": len(findings), "rejecting": int(findings["code"].isin(REJECTING_CODES).sum())},
        "outputs": [
            {"path": p.relative_to(config.output).as_posix(), "sha256": sha256_file(p)}
            for p in sorted(outputs)
        ],
    }
