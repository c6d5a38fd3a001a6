"""manifest_<TAHUN>.json (SPEC §6): where every input went and what every output holds. Pure assembly;
the caller hashes and writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.discover import InputFile
from pipeline.profiles import Profile
from pipeline.read import WorkbookData, sha256_of
from pipeline.terms import DITOLAK
from pipeline.write import atomic_path


def input_entries(
    files: list[InputFile],
    workbooks: list[WorkbookData],
    acts: pd.DataFrame,
    replaced: pd.DataFrame,
    roster: Path | None,
) -> list[dict[str, Any]]:
    """One entry per file found (and the roster given with --roster): path, sha256, status, rows."""
    by_rel = {w.rel: w for w in workbooks}
    rows = acts.groupby("file").size()
    rejected = acts[acts["status"].eq(DITOLAK)].groupby("file").size()
    superseded_by = {
        f: f"superseded by {final}" if not kept else f"partly superseded by {final}"
        for f, final, kept in zip(replaced["file"], replaced["final"], replaced["kept"], strict=True)
    }
    entries = []
    for f in files:
        book = by_rel.get(f.rel)
        entries.append(
            {
                "path": f.rel,
                "sha256": book.sha256 if book else sha256_of(f.path),
                "status": _input_status(f, book, superseded_by.get(f.rel)),
                "rows_read": int(rows.get(f.rel, 0)),
                "rows_rejected": int(rejected.get(f.rel, 0)),
            }
        )
    if roster is not None and roster.name not in {f.rel for f in files}:
        entries.append(
            {"path": str(roster), "sha256": sha256_of(roster), "status": "roster", "rows_read": 0,
             "rows_rejected": 0}
        )  # fmt: skip
    return entries


def _input_status(f: InputFile, book: WorkbookData | None, superseded_by: str | None) -> str:
    """skipped, unreadable, read, or what a revision did to it ("superseded by x", "partly superseded by x")."""
    if f.own_output:
        return "skipped: output of rekap-jp"
    if book is None:
        return "skipped"
    if not book.readable:
        return "unreadable"
    return superseded_by or "read"


def build_manifest(
    profile: Profile,
    year: int,
    inputs: list[dict[str, Any]],
    recon: dict[str, int],
    evals: dict[str, int],
    findings: dict[str, int],
    outputs: list[tuple[str, Path]],
) -> dict[str, Any]:
    """`outputs`: (path relative to the output folder, file to hash)."""
    evaluated = sum(v for k, v in evals.items() if k != "rows_read")
    return {
        "program": "rekap-jp",
        "program_version": __version__,
        "profile": {
            "id": profile.id,
            "version": profile.version,
            "sha256": profile.sha256,
            **({"path": profile.source} if profile.source else {}),
        },
        "year": year,
        "inputs": inputs,
        **recon,
        "reconciliation": recon,
        "reconciles": recon["rows_read"] == sum(v for k, v in recon.items() if k != "rows_read"),
        "evaluations": {**evals, "reconciles": evals["rows_read"] == evaluated},
        "findings": findings,
        "outputs": [{"path": rel, "sha256": sha256_of(path)} for rel, path in sorted(outputs)],
    }


def manifest_path(output: Path, year: int) -> Path:
    return output / f"manifest_{year}.json"


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    with atomic_path(path) as temp:
        temp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> dict[str, Any] | None:
    """An earlier run's manifest, or None when it is missing or not ours to read."""
    return read_json_object(path)


def read_json_object(path: Path) -> dict[str, Any] | None:
    """A JSON file holding one object (a manifest, the output folder's lock), or None when it cannot be read
    or holds something else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
