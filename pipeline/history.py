"""What an earlier run of the same year left in the output folder: its figures, to say what changed
(sheet Perubahan), and its files, moved to riwayat/<YYYYMMDD-HHMMSS>/ before a new run replaces them.

Nothing of an earlier run is deleted. The earlier run is known by the files it wrote: the outputs its
manifest lists (and the manifest), else the recap and IP ASN workbooks of that year.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine as pc

from pipeline.manifest import manifest_path, read_manifest
from pipeline.summarise import status_20jp
from pipeline.terms import BELUM

HISTORY_FOLDER = "riwayat"
FALLBACK_FOLDERS = ("validasi", "kirim_opd")  # what a run writes below the output folder, year or not
PEOPLE_COLUMNS = ["NIP", "Nama", "Perangkat Daerah", "JP Total", "Status 20 JP"]
CHANGE_COLUMNS = [
    "NIP",
    "Nama",
    "Perangkat Daerah",
    "JP Total Sebelumnya",
    "JP Total Sekarang",
    "Selisih",
    "Status 20 JP Sebelumnya",
    "Status 20 JP Sekarang",
]


@dataclass
class PreviousRun:
    stamp: str  # YYYYMMDD-HHMMSS: when that run wrote its manifest (or its recap)
    folder: Path  # riwayat/<stamp>[-n]/ in the output folder: where its files will move (not there yet)
    files: list[Path]  # what it wrote, as it lies in the output folder now
    people: pd.DataFrame | None  # its Rekap Pegawai (PEOPLE_COLUMNS), None when unreadable
    headline: dict[str, int | None] = field(default_factory=dict)


def own_outputs(output: Path, year: int, manifest: dict[str, Any] | None) -> list[Path]:
    """The files of the year's run in `output`: those its manifest lists, else (no manifest, or one that
    cannot be read) the year's workbooks and everything under validasi/ and kirim_opd/."""
    manifest_file = manifest_path(output, year)
    listed = [o.get("path") for o in manifest.get("outputs", [])] if manifest else []
    names = [p for p in listed if isinstance(p, str)]
    if names:
        found = [output / n for n in names if _inside(output, output / n) and (output / n).is_file()]
    else:
        known = [f"rekap_{year}.xlsx", f"ip_asn_{year}.xlsx", f"detail_kegiatan_{year}.parquet"]
        found = [output / n for n in known if (output / n).is_file()]
        if found:  # a recap of this year is there: its folders are that run's too
            found += sorted(
                p
                for folder in (*FALLBACK_FOLDERS, f"sertifikat_{year}", f"kartu_{year}")
                for p in (output / folder).rglob("*")
                if p.is_file()
            )
    return found + ([manifest_file] if manifest_file.is_file() else [])


def find_previous(output: Path, year: int) -> PreviousRun | None:
    manifest_file = manifest_path(output, year)
    manifest = read_manifest(manifest_file) if manifest_file.is_file() else None
    files = own_outputs(output, year, manifest)
    if not files:
        return None
    clock = manifest_file if manifest_file.is_file() else files[0]
    stamp = stamp_of([clock])
    people = read_people(output / f"rekap_{year}.xlsx")
    manifest = manifest or {}
    headline = {
        "met": None if people is None else int(people["Status 20 JP"].ne(BELUM).sum()),
        "counted": manifest.get("counted"),
        "kesalahan": manifest.get("findings", {}).get("kesalahan"),
    }
    return PreviousRun(stamp, free_folder(output / HISTORY_FOLDER, stamp), files, people, headline)


def read_people(rekap: Path) -> pd.DataFrame | None:
    """NIP, Nama, Perangkat Daerah, JP Total, Status 20 JP of an earlier recap (None if it cannot be read)."""
    try:
        frame = read_sheet(rekap, "Rekap Pegawai")
    except (pc.CalamineError, OSError, ValueError):
        return None
    if not set(PEOPLE_COLUMNS) <= set(frame.columns):
        return None
    frame = frame[PEOPLE_COLUMNS].copy()
    frame["JP Total"] = pd.to_numeric(frame["JP Total"], errors="coerce").fillna(0.0).round(2)
    return frame


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """A sheet of an earlier output (header row 1) as a frame, NIP as text; calamine's errors pass through."""
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    frame = pd.DataFrame(rows[1:], columns=rows[0]) if rows else pd.DataFrame()
    if "NIP" in frame.columns:
        frame["NIP"] = frame["NIP"].astype(str)
    return frame


def changes(before: pd.DataFrame, now: pd.DataFrame, target: float) -> pd.DataFrame:
    """Sheet Perubahan: every employee whose JP Total or Status 20 JP moved, by OPD then NIP.

    An employee new in this run counts as 0 JP before; one gone from it (say a NIP corrected) as 0 JP now.
    """
    merged = before[PEOPLE_COLUMNS].merge(
        now[PEOPLE_COLUMNS], on="NIP", how="outer", suffixes=(" Sebelumnya", " Sekarang")
    )
    jp_before = merged["JP Total Sebelumnya"].astype("float64").fillna(0.0).round(2)
    jp_now = merged["JP Total Sekarang"].astype("float64").fillna(0.0).round(2)
    status_before = merged["Status 20 JP Sebelumnya"].fillna(status_20jp(jp_before, target))
    status_now = merged["Status 20 JP Sekarang"].fillna(status_20jp(jp_now, target))
    out = pd.DataFrame(
        {
            "NIP": merged["NIP"].astype("string"),
            "Nama": merged["Nama Sekarang"].fillna(merged["Nama Sebelumnya"]).astype("string"),
            "Perangkat Daerah": merged["Perangkat Daerah Sekarang"]
            .fillna(merged["Perangkat Daerah Sebelumnya"])
            .astype("string"),
            "JP Total Sebelumnya": jp_before,
            "JP Total Sekarang": jp_now,
            "Selisih": (jp_now - jp_before).round(2),
            "Status 20 JP Sebelumnya": status_before.astype("string"),
            "Status 20 JP Sekarang": status_now.astype("string"),
        }
    )
    moved = out["Selisih"].ne(0) | out["Status 20 JP Sebelumnya"].ne(out["Status 20 JP Sekarang"])
    out = out[moved].sort_values(["Perangkat Daerah", "NIP"], kind="stable", ignore_index=True)
    return out[CHANGE_COLUMNS]


def free_folder(history: Path, stamp: str) -> Path:
    """riwayat/<stamp>, or <stamp>-2, -3 … when two runs share a second."""
    target, suffix = history / stamp, 1
    while target.exists():
        suffix += 1
        target = history / f"{stamp}-{suffix}"
    return target


def archive(output: Path, previous: PreviousRun) -> Path:
    """Move the earlier run's files to previous.folder (same relative paths); returns that folder."""
    return move_to_history(output, previous.files, previous.folder)


def move_to_history(output: Path, files: list[Path], folder: Path) -> Path:
    """Move `files` into `folder` under their paths relative to `output`; folders they leave empty go."""
    for path in files:
        if not path.is_file():
            continue
        destination = folder / path.relative_to(output)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
        _remove_empty_parents(path.parent, output)
    return folder


def stamp_of(files: list[Path]) -> str:
    """YYYYMMDD-HHMMSS of the newest of `files`: the name of their folder under riwayat/."""
    return dt.datetime.fromtimestamp(max(p.stat().st_mtime for p in files)).strftime("%Y%m%d-%H%M%S")


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and _inside(stop, folder) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
