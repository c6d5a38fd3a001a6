"""kirim_opd/<Perangkat Daerah>/: what goes back to one OPD, so the analyst sends one folder per OPD.

Each folder holds the OPD's marked copies (of the files that count: not of versions a revision replaced),
the validation report of each of its files (Temuan of its own files only, copied from validasi/) and the
Kartu Pengendalian 20 JP of its employees. Copies, not new reports: the folder costs almost nothing to make.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from pipeline.revisions import group_key
from pipeline.terms import UNKNOWN_OPD
from pipeline.write import open_workbook

DELIVERY_FOLDER = "kirim_opd"


def folder_name(opd: str) -> str:
    """An OPD name as a folder name on Windows and Linux alike."""
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", opd).strip(" .")
    return name[:100] or "_"


def write_packages(
    root: Path,
    year: int,
    submissions: pd.DataFrame,
    reports: dict[str, Path],
    marked: dict[str, Path],
    kartu: pd.DataFrame,
) -> list[Path]:
    """`submissions`: file, opd, roster_only, superseded; `reports` / `marked`: file -> its written
    `_validasi` report / `_ditandai` copy. The roster is BKPSDM's own file: it goes into no folder."""
    submissions = submissions[~submissions["roster_only"]]
    kartu_key = kartu["Perangkat Daerah"].astype(str).map(group_key)
    written: list[Path] = []
    for key, name in _opd_names(submissions, kartu).items():
        folder = root / DELIVERY_FOLDER / folder_name(name)
        own = submissions[submissions["opd"].map(group_key).eq(key)]
        written += _copies(folder, own["file"], reports)
        written += _copies(folder, own[~own["superseded"]]["file"], marked)
        cards = kartu[kartu_key.eq(key)]
        if len(cards):
            path = folder / f"kartu_pengendalian_{year}.xlsx"
            with open_workbook(path) as book:
                book.table("Kartu Pengendalian 20 JP", cards.assign(No=range(1, len(cards) + 1)))
            written.append(path)
    return written


def _opd_names(submissions: pd.DataFrame, kartu: pd.DataFrame) -> dict[str, str]:
    """Grouping key -> the OPD's name as its submission (else the roster) writes it, sorted by key."""
    names: dict[str, str] = {}
    for name in [*submissions.sort_values("file")["opd"], *kartu["Perangkat Daerah"].astype(str)]:
        if name and name != UNKNOWN_OPD:
            names.setdefault(group_key(name), name)
    return dict(sorted((k, v) for k, v in names.items() if k))


def _copies(folder: Path, files: pd.Series, made: dict[str, Path]) -> list[Path]:
    written = []
    for rel in files:
        source = made.get(rel)
        if source is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name
        shutil.copyfile(source, target)
        written.append(target)
    return written
