"""Stage 5.0: which submissions are older versions of another (SPEC §5.0, the correction loop).

Two files of one OPD are two versions of one submission when at least half of the session keys of the
smaller one also occur in the other. Of two versions the newer wins: the later Tanggal Penyerahan; when
missing or equal, the file whose name marks a revision; else the later modification time; else, as a last
tie-break that keeps the run deterministic, the file whose path sorts last. Pure functions over small
per-file tables: the number of files, not rows, drives the loops here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pandas as pd

from pipeline.findings import FINDING_COLUMNS, file_finding

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


def resolve(files: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """One row per superseded file: file, replaced_by (the direct newer version), rule, final (newest).

    `files`: file, opd, submitted (datetime or NaT), mtime, sha256. `keys`: file, key (a session key per row).
    """
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
    for _, group in files.groupby(files["opd"].map(group_key), sort=True):
        replaced.update(_resolve_group(sorted(group["file"]), versions, key_sets))
    rows = [
        {"file": f, "replaced_by": by, "rule": rule, "final": _final(f, replaced)}
        for f, (by, rule) in sorted(replaced.items())
    ]
    return pd.DataFrame(rows, columns=["file", "replaced_by", "rule", "final"])


def _resolve_group(
    names: list[str], versions: dict[str, FileVersion], key_sets: dict[str, set[str]]
) -> dict[str, tuple[str, str]]:
    """file -> (the newest of its newer versions, the rule that put it above the file)."""
    newer_of: dict[str, list[str]] = {}
    for a, b in itertools.combinations(names, 2):
        if not are_versions(key_sets.get(a, set()), key_sets.get(b, set())):
            continue
        win, _ = newer(versions[a], versions[b])
        loser = b if win.file == a else a
        newer_of.setdefault(loser, []).append(win.file)
    out = {}
    for loser, candidates in newer_of.items():
        best = versions[candidates[0]]
        for other in candidates[1:]:
            best, _ = newer(best, versions[other])
        out[loser] = (best.file, newer(versions[loser], best)[1])
    return out


def _final(file: str, replaced: dict[str, tuple[str, str]]) -> str:
    """Follow the chain of replacements to the version that counts."""
    seen = {file}
    current = replaced[file][0]
    while current in replaced and replaced[current][0] not in seen:
        seen.add(current)
        current = replaced[current][0]
    return current


def superseded_findings(replaced: pd.DataFrame) -> pd.DataFrame:
    """One SUBMISSION_SUPERSEDED per older version: the file that replaced it and the rule that decided."""
    rows = []
    for file, by, rule, final in zip(
        replaced["file"], replaced["replaced_by"], replaced["rule"], replaced["final"], strict=True
    ):
        detail = str(rule) if final == by else f"{rule}; berkas itu kemudian diganti oleh '{final}'"
        rows.append({**file_finding(str(file), "SUBMISSION_SUPERSEDED", detail), "value": str(by)})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
