"""The whole batch: discover -> read -> normalise -> validate -> compute -> write. File I/O only at the ends."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from pipeline import history
from pipeline.compute import Computed, compute
from pipeline.deliver import copy_packages, folder_name, plan_packages, write_package_kartu
from pipeline.discover import InputFile, discover
from pipeline.documents import Letter, certificate_pieces, kartu_pieces
from pipeline.findings import KESALAHAN, REJECTING_CODES, concat_findings, file_finding
from pipeline.instansi import Instansi, InstansiError, find_settings, load_instansi, settings_warnings
from pipeline.lock import holding
from pipeline.manifest import build_manifest, input_entries, manifest_path, write_manifest
from pipeline.normalise import Batch, collect
from pipeline.outputs import (
    ip_asn_sheets,
    rekap_headline,
    validation_pieces,
    write_ip_asn,
    write_rekap,
    write_unit_map,
)
from pipeline.profiles import Profile, ProfileError, load_profile
from pipeline.publish import move_into_place, staged
from pipeline.read import WorkbookData, read_workbook
from pipeline.report import report_frame
from pipeline.roster import unit_table, unmapped
from pipeline.summarise import Tables, WorkforceGaps, build_tables, workforce_gaps
from pipeline.terms import TERPENUHI, UNKNOWN_OPD
from pipeline.usage import (
    NothingReadable,
    OutputNotWritable,
    UsageError,
    check_input,
    check_output,
    check_roster,
)
from pipeline.validate import validate, with_activities
from pipeline.workers import Piece, share
from schemas import ACTIVITIES_SCHEMA, FINDINGS_SCHEMA, REPORT_SCHEMA, ROSTER_SCHEMA

CHECK_FOLDER = "periksa"  # where `validate` writes, apart from what `rekap` wrote


@dataclass
class RunConfig:
    input: Path
    output: Path
    profile: str = "nganjuk-2025"
    year: int | None = None
    roster: Path | None = None
    instansi: Path | None = None  # instansi.toml (else the one in the input folder, else placeholders)
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
    report: pd.DataFrame  # the Temuan table of every finding
    outputs: list[Path]
    files: int
    kesalahan: int
    report_folder: Path  # where the validation reports are
    changed: int | None = None  # employees whose JP or status moved since the earlier run (None: first run)
    skipped: list[str] = field(default_factory=list)  # files found but not read (not workbooks, own outputs)
    warnings: list[str] = field(default_factory=list)  # for the analyst, after the summary table
    gaps: WorkforceGaps | None = None  # what the roster could not say (OPD, jenis jabatan)
    timings: dict[str, float] = field(default_factory=dict)


STAGE_LABELS = {
    "discover": "Mencari berkas",
    "read": "Membaca berkas",
    "normalise": "Merapikan data",
    "validate": "Memeriksa data",
    "compute": "Menghitung JP",
    "write": "Menulis hasil",
}


class StageTimer:
    """Seconds per stage, for `make bench` and the timings in RunResult; on a terminal, says each stage."""

    def __init__(self, clock: Callable[[], float] | None = None, progress: bool = False) -> None:
        self.clock = clock or time.perf_counter
        self.progress = progress
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        if self.progress:
            number = list(STAGE_LABELS).index(stage) + 1
            print(f"[{number}/{len(STAGE_LABELS)}] {STAGE_LABELS[stage]} ...", file=sys.stderr, flush=True)
        start = self.clock()
        try:
            yield
        finally:
            self.timings[stage] = self.clock() - start


def normalised(workbooks: list[WorkbookData], profile: Profile, listed: tuple[str, ...] = ()) -> Batch:
    """The typed, contract-checked batch; the raw cells are freed once typed (a big run's largest objects).
    `listed`: instansi.toml's daftar_opd."""
    batch = collect(workbooks, listed)
    batch = replace(batch, activities=with_activities(batch.activities, profile))  # resolved once
    check_batch(batch)
    for book in workbooks:
        book.sheets.clear()
    return batch


def run(config: RunConfig, clock: Callable[[], float] | None = None) -> RunResult:
    """The whole batch, holding the output folder (pipeline.lock) from before anything is read to the last
    file moved into place: a second run into the same folder stops, it does not mix its files in."""
    profile = check_usage(config)
    with holding(config.output) as told:
        result = _run(config, profile, clock)
    return replace(result, warnings=[*told, *result.warnings])


def _run(config: RunConfig, profile: Profile, clock: Callable[[], float] | None) -> RunResult:
    timer = StageTimer(clock, config.progress)
    instansi = load_instansi_for(config)
    with timer("discover"):
        files = discover(config.input, exclude=config.output)
    with timer("read"):
        workbooks = read_inputs(files, config)
    with timer("normalise"):
        batch = normalised(workbooks, profile, instansi.daftar_opd)
        year = config.year or detect_year(batch)
    with timer("validate"):
        findings = all_findings(files, batch, profile, year, config.today)
    with timer("compute"):
        computed = compute(batch, findings, profile, year)
        tables = build_tables(batch, computed.activities, computed.evaluations, profile, year)
        report = REPORT_SCHEMA.validate(report_frame(computed.findings, batch.layout, batch.submissions))
    with timer("write"):
        letter = Letter(instansi, profile.basis, year, config.today)
        written = Written(config, profile, year, files, batch, computed, report, letter)
        outputs, changed = written.validation_only() if config.validate_only else written.everything(tables)
    return RunResult(
        year=year,
        profile=profile,
        reconciliation=computed.counts,
        evaluations=computed.evaluation_counts,
        report=report,
        outputs=outputs,
        files=len(files),
        kesalahan=written.kesalahan,
        report_folder=written.report_folder(),
        changed=changed,
        skipped=[f.rel for f in files if not f.is_workbook],
        warnings=run_warnings(
            config, year, batch, gaps := workforce_gaps(tables.indikator, batch.roster), letter
        ),
        gaps=gaps,
        timings=timer.timings,
    )


def run_warnings(
    config: RunConfig, year: int, batch: Batch, gaps: WorkforceGaps, letter: Letter
) -> list[str]:
    """What the analyst reads under the summary table: a doubtful YEAR, what the roster could not say, and
    documents printed with placeholders."""
    return [
        *year_warnings(config.year, year, batch.submissions),
        *roster_warnings(gaps, batch.roster, year),
        *([] if config.validate_only else settings_warnings(letter.instansi)),
    ]


def all_findings(
    files: list[InputFile], batch: Batch, profile: Profile, year: int, today: dt.date
) -> pd.DataFrame:
    """Files that are no workbook (FILE_UNSUPPORTED) and every row-level check, as the findings contract."""
    unsupported = [file_finding(f.rel, "FILE_UNSUPPORTED", _suffix(f)) for f in files if f.is_other]
    findings = concat_findings([pd.DataFrame(unsupported), validate(batch, profile, year, today)])
    return FINDINGS_SCHEMA.validate(findings)


def check_batch(batch: Batch) -> None:
    """The normalised frames as the later stages index them (schemas: ACTIVITIES_SCHEMA, ROSTER_SCHEMA)."""
    ACTIVITIES_SCHEMA.validate(batch.activities)
    if batch.roster is not None:
        ROSTER_SCHEMA.validate(batch.roster)


def check_usage(config: RunConfig) -> Profile:
    """Everything the user asked for is possible, checked before any file is read."""
    try:
        profile = load_profile(config.profile)
    except ProfileError as exc:
        raise UsageError(str(exc), "--profile") from exc
    check_input(config.input)
    check_roster(config.roster)
    check_output(config.output)
    return profile


def load_instansi_for(config: RunConfig) -> Instansi:
    """instansi.toml given or found in the input folder; a broken one is a usage error, before any reading."""
    try:
        return load_instansi(find_settings(config.instansi, config.input))
    except InstansiError as exc:
        raise UsageError(str(exc), "--instansi") from exc


# Spreadsheets of formats the readers do not take: named, so no one reads "not a spreadsheet" for them.
_OTHER_SHEETS = {
    ".xlsb": ".xlsb, lembar kerja Excel Biner",
    ".numbers": ".numbers, lembar kerja Apple Numbers",
}


def _suffix(f: InputFile) -> str:
    suffix = f.path.suffix.lower()
    return _OTHER_SHEETS.get(suffix, suffix or "tanpa ekstensi")


def read_inputs(files: list[InputFile], config: RunConfig) -> list[WorkbookData]:
    workbooks = read_all([f for f in files if f.is_workbook], config)
    if config.roster is not None and config.roster.resolve() not in {w.path.resolve() for w in workbooks}:
        workbooks.append(read_workbook(config.roster, config.roster.name))
    if not any(book.sheets for book in workbooks):
        raise NothingReadable("Tidak ada lembar kerja yang dapat dibaca di folder masukan.")
    return workbooks


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
        raise UsageError(
            "Tahun laporan tidak dapat ditentukan (tidak ada baris kegiatan); isi {option}.", "--year"
        )
    per_file = acts.groupby("file").agg(
        tahun=("tahun", "first"),
        dated=("tanggal", lambda d: d.dt.year.mode().min() if d.notna().any() else None),
    )
    years = per_file["tahun"].where(per_file["tahun"].between(2000, 2100), per_file["dated"]).dropna()
    found = sorted({int(y) for y in years})
    if not found:
        raise UsageError("Tahun laporan tidak dapat ditentukan dari berkas; isi {option}.", "--year")
    if len(found) > 1:
        listed = ", ".join(str(y) for y in found)
        raise UsageError(
            f"Berkas masukan berisi beberapa tahun laporan ({listed}); pilih satu dengan {{option}}.",
            "--year",
        )
    return found[0]


def year_warnings(asked: int | None, year: int, submissions: pd.DataFrame) -> list[str]:
    """A year given by hand that the files' Identitas contradict: most likely a typo in YEAR."""
    stated = submissions.dropna(subset=["tahun"])
    other = stated[stated["tahun"].ne(year)]
    if asked is None or not len(other):
        return []
    years = ", ".join(str(int(y)) for y in sorted(other["tahun"].unique()))
    return [
        f"tahun laporan {year} diminta, tetapi Identitas {len(other)} berkas menyebut tahun {years}; "
        "baris di luar tahun laporan tidak dihitung (Di Luar Periode). Periksa tahun yang diminta."
    ]


def roster_warnings(gaps: WorkforceGaps, roster: pd.DataFrame | None, year: int) -> list[str]:
    """Never a silently empty figure: employees without an OPD, PNS without a jenis jabatan (no indicator)."""
    out = []
    if gaps.no_opd:
        units = 0 if roster is None else unmapped(roster)["unor"].nunique()
        fix = (
            f"{units} unit kerja di Data Pegawai belum dipetakan; lengkapi peta_unor_{year}.xlsx di folder hasil, "
            "letakkan di folder masukan, lalu jalankan ulang"
            if units
            else "isi kolom Perangkat Daerah di Data Pegawai"
        )
        out.append(f"{gaps.no_opd} pegawai tanpa Perangkat Daerah (dihitung sebagai {UNKNOWN_OPD}): {fix}.")
    if gaps.no_jenis and roster is None:
        out.append(
            f"Nilai Indikator 20 JP kosong untuk {gaps.no_jenis} PNS: tanpa Data Pegawai jenis jabatan tidak "
            "diketahui. Letakkan Data Pegawai (template atau ekspor SIASN) di folder masukan."
        )
    elif gaps.no_jenis:
        listed = gaps.no_jenis - gaps.no_jenis_off_roster
        out.append(
            f"Nilai Indikator 20 JP kosong untuk {gaps.no_jenis} PNS karena jenis jabatannya tidak diketahui: "
            f"{gaps.no_jenis_off_roster} tidak ada di Data Pegawai, {listed} dengan Jenis Jabatan kosong atau "
            "tidak dikenal di Data Pegawai."
        )
    return out


@dataclass
class Written:
    """The write stage: everything goes to a staging folder, then into place together (pipeline.publish)."""

    config: RunConfig
    profile: Profile
    year: int
    files: list[InputFile]
    batch: Batch
    computed: Computed
    report: pd.DataFrame
    letter: Letter

    @property
    def kesalahan(self) -> int:
        return int(self.report["Tingkat"].eq(KESALAHAN).sum())

    def report_folder(self) -> Path:
        if self.config.validate_only:
            return (
                self.config.output / CHECK_FOLDER / folder_name(self.config.input.resolve().name or "masukan")
            )
        return self.config.output / "validasi"

    def validation_only(self) -> tuple[list[Path], None]:
        """`validate`: the reports of one folder under periksa/<folder>/, never beside a rekap run's outputs."""
        root = self.report_folder()
        with staged(root) as stage:
            made, pieces = validation_pieces(stage, self.report, self.files, self._sources(), self.year, "")
            share([], pieces, self.config.jobs)
            return move_into_place(stage, root, made.written), None

    def everything(self, tables: Tables) -> tuple[list[Path], int | None]:
        root = self.config.output
        previous = history.find_previous(root, self.year)
        tables, comparison = self._compare(tables, previous)
        try:
            with staged(root) as stage:
                written = self._write_all(stage, tables, comparison)
                if previous is not None:
                    history.archive(root, previous)
                final = move_into_place(stage, root, written)
        except OSError as exc:
            raise OutputNotWritable(
                f"Hasil tidak dapat ditulis ke {{option}} '{root}' ({exc.strerror or exc}). Bila sebuah berkas "
                "hasil sedang terbuka di Excel, tutup dulu lalu jalankan ulang.",
                "--output",
            ) from exc
        return final, None if tables.perubahan is None else len(tables.perubahan)

    def _compare(
        self, tables: Tables, previous: history.PreviousRun | None
    ) -> tuple[Tables, list[tuple[str, Any]]]:
        if previous is None or previous.people is None:
            return tables, []
        people = tables.rekap_pegawai
        moved = self._changes(previous, tables)
        now = {
            "met": int(people["Status 20 JP"].eq(TERPENUHI).sum()),
            "counted": self.computed.counts["counted"],
            "kesalahan": self.kesalahan,
        }
        labels = {
            "met": "Pegawai memenuhi 20 JP",
            "counted": "Baris dihitung",
            "kesalahan": "Temuan Kesalahan",
        }
        comparison: list[tuple[str, Any]] = [
            ("Dibandingkan dengan run sebelumnya", previous.folder.relative_to(self.config.output).as_posix()),
            *((f"{labels[k]} (sebelumnya → sekarang)", f"{_or_dash(previous.headline.get(k))} → {v}")
              for k, v in now.items()),
            ("Pegawai berubah (lihat sheet Perubahan)", len(moved)),
        ]  # fmt: skip
        return replace(tables, perubahan=moved), comparison

    def _changes(self, previous: history.PreviousRun, tables: Tables) -> pd.DataFrame:
        """Perubahan, with the sessions behind each change (the earlier Detail Kegiatan of these people)."""
        assert previous.people is not None
        kinds = (previous.kinds, history.asn_kinds(tables.indikator))
        moved = history.changes(previous.people, tables.rekap_pegawai, self.profile.yearly_target_jp, kinds)
        if not len(moved):
            return moved
        nips = set(moved["NIP"].astype(str))
        before = history.read_detail(previous.rekap, nips)
        now = tables.detail.loc[tables.detail["NIP Penerima"].astype(str).isin(nips), history.SESSION_FIELDS]
        return history.with_sessions(moved, {} if before is None else history.session_reasons(before, now))

    def _write_all(self, stage: Path, tables: Tables, comparison: list[tuple[str, Any]]) -> list[Path]:
        """Every output; the recap here while the worker takes the other pieces (pipeline.workers)."""
        year, letter = self.year, self.letter
        headline = rekap_headline(
            tables, self.computed.counts, self.profile, year, self._file_counts(), comparison
        )
        ip_sheets = ip_asn_sheets(tables)
        made, reports = validation_pieces(stage, self.report, self.files, self._sources(), year)
        packages = plan_packages(stage, year, self._submissions(), ip_sheets["Kartu Pengendalian 20 JP"])
        documents = [
            *kartu_pieces(stage / f"kartu_{year}", tables.kartu, letter),
            *certificate_pieces(stage / f"sertifikat_{year}", tables.sertifikat, letter),
        ]
        ip = stage / f"ip_asn_{year}.xlsx"
        queued = [
            Piece(write_ip_asn, (ip, ip_sheets)),
            *reports,
            *(Piece(write_package_kartu, (package,)) for package in packages),
            *(piece for _, piece in documents),
        ]
        own = [Piece(write_rekap, (stage / f"rekap_{year}.xlsx", tables, headline, year)),
               Piece(self._unit_map, (stage,))]  # fmt: skip
        (recap, unit_map), _ = share(own, queued, self.config.jobs)
        written = [*recap, *unit_map, ip, *made.written, *copy_packages(packages, made.reports, made.marked),
                   *(path for path, _ in documents)]  # fmt: skip
        written.append(self._manifest(stage, written))
        return written

    def _unit_map(self, stage: Path) -> list[Path]:
        """peta_unor_<TAHUN>.xlsx when the roster names work units (SIASN): read back when dropped in."""
        roster = self.batch.roster
        if roster is None or not roster["unor"].notna().any():
            return []
        path = stage / f"peta_unor_{self.year}.xlsx"
        write_unit_map(path, unit_table(roster), self.year, self.batch.opds.names)
        return [path]

    def _manifest(self, stage: Path, written: list[Path]) -> Path:
        acts = self.computed.activities
        inputs = input_entries(
            self.files, self.batch.workbooks, acts, self.computed.replaced, self.config.roster
        )
        findings = self.computed.findings
        counts = {
            "total": len(self.report),
            "kesalahan": self.kesalahan,
            "rejecting": int(findings["code"].isin(REJECTING_CODES).sum()),
        }
        outputs = [(p.relative_to(stage).as_posix(), p) for p in written]
        manifest = build_manifest(
            self.profile, self.year, inputs, self.computed.counts,
            self.computed.evaluation_counts, counts, outputs,
        )  # fmt: skip
        path = manifest_path(stage, self.year)
        write_manifest(path, manifest)
        return path

    def _file_counts(self) -> list[tuple[str, int]]:
        """The same counts as the summary table: found = read + skipped; unreadable ones are among read."""
        read = [f.rel for f in self.files if f.is_workbook]
        unreadable = sum(1 for w in self.batch.workbooks if not w.readable and w.rel in read)
        return [
            ("Berkas ditemukan", len(self.files)),
            ("Berkas dibaca", len(read)),
            ("Berkas tidak dapat dibaca", unreadable),
            ("Berkas dilewati", len(self.files) - len(read)),
        ]

    def _sources(self) -> dict[str, dict[str, int]]:
        """Per readable workbook: the header row of each sheet read (where a marked copy can be marked)."""
        rows = self.batch.layout.drop_duplicates(["file", "sheet"])
        found: dict[str, dict[str, int]] = {w.rel: {} for w in self.batch.workbooks if w.readable}
        for file, sheet, row in zip(rows["file"], rows["sheet"], rows["header_row"], strict=True):
            found.setdefault(file, {})[sheet] = int(row)
        return found

    def _submissions(self) -> pd.DataFrame:
        subs, replaced = self.batch.submissions, self.computed.replaced
        whole = replaced.loc[
            replaced["kept"].map(len).eq(0), "file"
        ]  # a version still counting goes back too
        return subs.assign(superseded=subs["file"].isin(whole))


def _or_dash(value: int | None) -> str:
    return "-" if value is None else str(value)
