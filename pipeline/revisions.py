"""Stage 5.0: which submissions are older versions of another (SPEC §5.0, the correction loop).

Two files of one OPD are two versions of one submission when at least half of the session keys of the
smaller one also occur in the other. Of two versions the newer wins: the later Tanggal Penyerahan; when
missing or equal, the file whose name marks a revision; else the later modification time; else, as a last
tie-break that keeps the run deterministic, the file whose path sorts last.

The newer version wins for what it covers, not for the whole year: the months Identitas › Periode states,
else from its first session's month to the later of its own and the older version's last (Coverage), and
only on the kinds of sheet it holds. An older version's rows there are replaced; its other rows still count
(a semester-2 file does not wipe January-June).
Pure functions over small per-file tables: the number of files, not rows, drives the loops here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pandas as pd

from pipeline import layout
from pipeline.findings import FINDING_COLUMNS, file_finding
from pipeline.periods import Period, months_between, months_of, parse_period, say_months, span

VERSION_SHARE = 0.5  # share of the smaller file's session keys that makes two files versions of one

# Words that mark a revised file, optionally followed by a number ("revisi2", "rev_3", "v2").
_REVISION_WORD = r"revisi|revisian|rev|perbaikan|koreksi|pembetulan|ralat|update|ditandai"
_REVISION_TOKEN = re.compile(rf"^(?:{_REVISION_WORD})(\d{{0,2}})$|^(?:v|ver|versi)(\d{{1,2}})$")
_NUMBER = re.compile(r"^\d{1,2}$")
_TOKEN_SPLIT = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class FileVersion:
    """What decides which of two versions is newer."""

    file: str
    submitted: pd.Timestamp | None
    revision: int
    mtime: float
    sha256: str = ""


def revision_rank(rel: str) -> int:
    """0 for a path that marks no revision; otherwise the revision number it gives (1 when none).
    Folders count too: `perbaikan/dinkes.xlsx` marks a revision as `dinkes_perbaikan.xlsx` does."""
    stem = rel.rsplit(".", 1)[0].casefold()
    tokens = [t for t in _TOKEN_SPLIT.split(stem) if t]
    rank = 0
    for i, token in enumerate(tokens):
        found = _REVISION_TOKEN.match(token)
        if not found:
            continue
        digits = found.group(1) or found.group(2) or ""
        if not digits and i + 1 < len(tokens) and _NUMBER.match(tokens[i + 1]):
            digits = tokens[i + 1]
        rank = max(rank, int(digits) if digits else 1)
    return rank


def group_key(opd: str) -> str:
    """OPD name as a grouping key: case, punctuation and revision words ignored (names from file names)."""
    tokens = [t for t in _TOKEN_SPLIT.split(opd.casefold()) if t]
    kept = [t for t in tokens if not _REVISION_TOKEN.match(t)]
    return " ".join(kept)


def newer(a: FileVersion, b: FileVersion) -> tuple[FileVersion, str]:
    """The newer of two versions and the rule that decided, in Indonesian. Of two identical files (a copy
    read twice) the one whose path sorts first stays, as the first seen of two duplicate rows does."""
    if a.sha256 and a.sha256 == b.sha256:
        return (a if a.file < b.file else b), "isi berkas sama persis (salinan)"
    if a.submitted is not None and b.submitted is not None and a.submitted != b.submitted:
        win, lose = (a, b) if a.submitted > b.submitted else (b, a)
        assert win.submitted is not None and lose.submitted is not None
        return win, (
            f"Tanggal Penyerahan lebih baru: {win.submitted:%d/%m/%Y} dibanding {lose.submitted:%d/%m/%Y}"
        )
    if a.revision != b.revision:
        win = a if a.revision > b.revision else b
        return win, "nama berkas menandai revisi"
    if a.mtime != b.mtime:
        win = a if a.mtime > b.mtime else b
        return win, "waktu simpan berkas lebih baru"
    win = a if a.file > b.file else b
    return win, "urutan nama berkas (tanggal, nama dan waktu simpan sama)"


def are_versions(keys_a: set[str], keys_b: set[str]) -> bool:
    smaller = min(len(keys_a), len(keys_b))
    return smaller > 0 and len(keys_a & keys_b) >= VERSION_SHARE * smaller


@dataclass(frozen=True)
class Coverage:
    """What a file says of what it reports: the months Identitas › Periode states (None when it states none
    understood), the months from its first to its last session in the report year, the months of its dates
    outside that year, and the kinds of sheet it holds (Coaching, Mentoring, ...; None: not known, all)."""

    stated: Period | None
    dates: Period
    outside: Period = frozenset()
    kinds: frozenset[str] | None = None

    def over(self, older: Coverage) -> Period:
        """The months this file, as a newer version, replaces of `older`: those stated; else from its own
        first session's month to the later of its last and the older version's last (a revision that
        drops the last sessions of a year still replaces them; a file of July-December leaves January-June
        to the older version). The older version's months outside the report year too: they count
        nowhere, and the newer version is the one that speaks for them."""
        if self.stated is not None:
            return self.stated | older.outside
        if not self.dates:
            return frozenset()
        return months_between(min(self.dates), max(self.dates | older.dates)) | older.outside


def sheet_kinds(places: pd.DataFrame) -> dict[str, frozenset[str]]:
    """The kinds of sheet each file holds, from the layout (file, sheet): a newer version replaces an older
    one's rows only of these (a file of Coaching alone leaves the older version's Mentoring counted)."""
    kinds: dict[str, set[str]] = {}
    for file, sheet in places[["file", "sheet"]].drop_duplicates().itertuples(index=False):
        kind = layout.sheet_kind(str(sheet))
        if kind in layout.SUBMISSION_KINDS:
            kinds.setdefault(str(file), set()).add(kind)
    return {file: frozenset(found) for file, found in kinds.items()}


def file_periods(
    files: pd.DataFrame, rows: pd.DataFrame, year: int, kinds: dict[str, frozenset[str]] | None = None
) -> dict[str, Coverage]:
    """Each file's Coverage: its Identitas › Periode when understood, the span of its session dates in the
    report year (all its dates when none is in that year), its months outside the year, and its kinds of
    sheet (`kinds`: sheet_kinds; None: every kind). `files`: file, periode; `rows`: file, tanggal."""
    dated = rows.loc[rows["tanggal"].notna(), ["file", "tanggal"]]
    spans = {str(f): span(d) for f, d in dated.groupby("file", sort=False)["tanggal"]}
    in_year = dated["tanggal"].dt.year.eq(year)
    spans.update({str(f): span(d) for f, d in dated[in_year].groupby("file", sort=False)["tanggal"]})
    outside = {
        str(f): frozenset(months_of(d).dropna().astype(int))
        for f, d in dated[~in_year].groupby("file")["tanggal"]
    }
    return {
        str(file): Coverage(
            parse_period(text, year) if text else None,
            spans.get(str(file), frozenset()),
            outside.get(str(file), frozenset()),
            None if kinds is None else kinds.get(str(file), frozenset()),
        )
        for file, text in zip(files["file"], files["periode"], strict=True)
    }


def resolve(files: pd.DataFrame, keys: pd.DataFrame, periods: dict[str, Coverage]) -> pd.DataFrame:
    """One row per file a newer version replaces for some months: file, replaced_by (the direct newer
    version), rule, final (the newest), covered (the months its newer versions cover, a frozenset), kinds
    (the kinds of sheet they hold; None: every kind).

    `files`: file, opd, submitted (datetime or NaT), mtime, sha256. `keys`: file, key (a session key per row).
    `periods`: what each file says of its period (file_periods)."""
    key_sets = {str(f): set(k.to_numpy()) for f, k in keys.groupby("file", sort=False)["key"]}
    versions = {
        str(f): FileVersion(
            str(f), None if pd.isna(when) else pd.Timestamp(when), revision_rank(str(f)), float(m), str(sha)
        )
        for f, when, m, sha in zip(
            files["file"], files["submitted"], files["mtime"], files["sha256"], strict=True
        )
    }
    replaced: dict[str, tuple[str, str]] = {}
    newer_of: dict[str, list[str]] = {}
    for _, group in files.groupby(files["opd"].map(group_key), sort=True):
        newer_of.update(_newer_versions(sorted(group["file"]), versions, key_sets))
    for loser, candidates in newer_of.items():
        best = versions[candidates[0]]
        for other in candidates[1:]:
            best, _ = newer(best, versions[other])
        replaced[loser] = (best.file, newer(versions[loser], best)[1])
    rows = [
        {"file": f, "replaced_by": by, "rule": rule, "final": _final(f, replaced),
         "covered": _covered(f, newer_of, periods, frozenset({f})),
         "kinds": _kinds(f, newer_of, periods, frozenset({f}))}
        for f, (by, rule) in sorted(replaced.items())
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=["file", "replaced_by", "rule", "final", "covered", "kinds"])
    return out[out["covered"].map(len).gt(0)].reset_index(drop=True)


def _newer_versions(
    names: list[str], versions: dict[str, FileVersion], key_sets: dict[str, set[str]]
) -> dict[str, list[str]]:
    """file -> the files that are newer versions of it (sharing enough session keys)."""
    newer_of: dict[str, list[str]] = {}
    for a, b in itertools.combinations(names, 2):
        if not are_versions(key_sets.get(a, set()), key_sets.get(b, set())):
            continue
        win, _ = newer(versions[a], versions[b])
        loser = b if win.file == a else a
        newer_of.setdefault(loser, []).append(win.file)
    return newer_of


def _covered(
    file: str, newer_of: dict[str, list[str]], periods: dict[str, Coverage], seen: frozenset[str]
) -> Period:
    """The months some newer version of `file` replaces, its own newer versions' included: what a newer
    version replaces, a still newer one replaces too."""
    none = Coverage(None, frozenset())
    months: set[int] = set()
    for other in newer_of.get(file, []):
        if other not in seen:
            months |= periods.get(other, none).over(periods.get(file, none))
            months |= _covered(other, newer_of, periods, seen | {other})
    return frozenset(months)


def _kinds(
    file: str, newer_of: dict[str, list[str]], periods: dict[str, Coverage], seen: frozenset[str]
) -> frozenset[str] | None:
    """The kinds of sheet some newer version of `file` holds (None: every kind), along the chain as
    _covered."""
    found: set[str] = set()
    for other in newer_of.get(file, []):
        if other in seen:
            continue
        own, later = (
            periods[other].kinds if other in periods else None,
            _kinds(other, newer_of, periods, seen | {other}),
        )
        if own is None or later is None:
            return None
        found |= own | later
    return frozenset(found)


def _final(file: str, replaced: dict[str, tuple[str, str]]) -> str:
    """Follow the chain of replacements to the version that counts."""
    seen = {file}
    current = replaced[file][0]
    while current in replaced and replaced[current][0] not in seen:
        seen.add(current)
        current = replaced[current][0]
    return current


def replaced_rows(rows: pd.DataFrame, replaced: pd.DataFrame) -> pd.Series:
    """Which rows a newer version replaces: a row of an older version on a kind of sheet its newer versions
    hold, dated in a month they cover or not dated at all (it cannot be placed outside them).
    `rows`: file, kind, tanggal."""
    hit = pd.Series(False, index=rows.index)
    if not len(replaced):
        return hit
    month = months_of(rows["tanggal"])
    for file, covered, kinds in zip(replaced["file"], replaced["covered"], replaced["kinds"], strict=True):
        own = rows["file"].eq(file).to_numpy()
        if kinds is not None:
            own = own & rows["kind"].isin(list(kinds)).to_numpy()
        hit |= own & (month.isna() | month.isin(list(covered))).to_numpy()
    return hit


def still_counting(rows: pd.DataFrame, replaced: pd.DataFrame, hit: pd.Series) -> pd.Series:
    """Per older version (index: replaced's), its rows no newer version replaces: kind of sheet -> months."""
    kept = rows.loc[~hit & rows["file"].isin(replaced["file"]), ["file", "kind", "tanggal"]]
    months = kept.assign(month=months_of(kept["tanggal"])).dropna(subset=["month"])
    found: dict[str, dict[str, Period]] = {}
    for (file, kind), own in months.groupby(["file", "kind"], sort=True)["month"]:
        found.setdefault(str(file), {})[str(kind)] = frozenset(int(m) for m in own)
    return pd.Series([found.get(f, {}) for f in replaced["file"]], index=replaced.index, dtype=object)


def say_kept(kept: dict[str, Period]) -> str:
    """ "Coaching: Januari–Juni 2025; Mentoring: Juli–Oktober 2025", the sheets in the template's order."""
    order = list(layout.SHEET_NAMES)
    return "; ".join(
        f"{layout.SHEET_NAMES.get(kind, kind)}: {say_months(months)}"
        for kind, months in sorted(
            kept.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    )


def superseded_findings(replaced: pd.DataFrame) -> pd.DataFrame:
    """One SUBMISSION_SUPERSEDED per older version (the file that replaced it, for which months, and the rule
    that decided) and, when some of its months still count, one SUBMISSION_PARTLY_KEPT naming them.
    `replaced`: resolve's columns and `kept` (still_counting)."""
    rows = []
    for file, by, rule, final, covered, kept in zip(
        replaced["file"], replaced["replaced_by"], replaced["rule"], replaced["final"],
        replaced["covered"], replaced["kept"], strict=True,
    ):  # fmt: skip
        chain = "" if final == by else f"; berkas itu kemudian diganti oleh '{final}'"
        detail = f"{say_months(covered)} ({rule}{chain})"
        rows.append({**file_finding(str(file), "SUBMISSION_SUPERSEDED", detail), "value": str(by)})
        if kept:
            rows.append(
                {**file_finding(str(file), "SUBMISSION_PARTLY_KEPT", say_kept(kept)), "value": str(by)}
            )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
