"""kirim_opd/<Perangkat Daerah>/: what goes back to one OPD, so the analyst sends one folder per OPD.

Each folder holds the OPD's marked copies (of the files that count: not of versions a revision replaced),
the validation report of each of its files (Temuan of its own files only, copied from validasi/) and the
Kartu Pengendalian 20 JP of its employees. Copies, not new reports: the folder costs almost nothing to make.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Package:
    """One OPD's folder: its submissions' files (`current`: those no revision replaced) and its Kartu rows."""

    folder: Path
    files: list[str]
    current: list[str]
    cards: pd.DataFrame
    year: int

    @property
    def kartu_path(self) -> Path:
        return self.folder / f"kartu_pengendalian_{self.year}.xlsx"


def plan_packages(root: Path, year: int, submissions: pd.DataFrame, kartu: pd.DataFrame) -> list[Package]:
    """The folder of every OPD that submitted or has employees, sorted by its grouping key. `submissions`:
    file, opd, roster_only, superseded. The roster is BKPSDM's own file: it goes into no folder."""
    submissions = submissions[~submissions["roster_only"]]
    cards = dict(list(kartu.groupby(_group_keys(kartu["Perangkat Daerah"]), sort=False)))
    submitted = _group_keys(submissions["opd"])
    packages = []
    for key, name in _opd_names(submissions, kartu).items():
        own = submissions[submitted.eq(key)]
        current = own[~own["superseded"]]["file"].tolist()
        folder = root / DELIVERY_FOLDER / folder_name(name)
        packages.append(Package(folder, own["file"].tolist(), current, cards.get(key, kartu.iloc[0:0]), year))
    return packages


def _group_keys(names: pd.Series) -> pd.Series:
    """group_key of every name, worked out once per distinct name (a Kartu has a row per employee)."""
    text = names.astype(str)
    return text.map({name: group_key(name) for name in text.unique()})


def write_package_kartu(package: Package) -> None:
    """kartu_pengendalian_<TAHUN>.xlsx of the OPD's employees (none when it has none)."""
    cards = package.cards
    if len(cards):
        with open_workbook(package.kartu_path) as book:
            book.table("Kartu Pengendalian 20 JP", cards.assign(No=range(1, len(cards) + 1)))


def copy_packages(packages: list[Package], reports: dict[str, Path], marked: dict[str, Path]) -> list[Path]:
    """Each OPD's validation reports and current marked copies into its folder; every file of the folders."""
    written: list[Path] = []
    for package in packages:
        written += _copies(package.folder, package.files, reports)
        written += _copies(package.folder, package.current, marked)
        if len(package.cards):
            written.append(package.kartu_path)
    return written


def _opd_names(submissions: pd.DataFrame, kartu: pd.DataFrame) -> dict[str, str]:
    """Grouping key -> the OPD's name as its submission (else the roster) writes it, sorted by key."""
    names: dict[str, str] = {}
    listed = [*submissions.sort_values("file")["opd"], *kartu["Perangkat Daerah"].astype(str).unique()]
    for name in listed:  # the first spelling of each key wins
        if name and name != UNKNOWN_OPD:
            names.setdefault(group_key(name), name)
    return dict(sorted((k, v) for k, v in names.items() if k))


def _copies(folder: Path, files: list[str], made: dict[str, Path]) -> list[Path]:
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
