"""Stage 1: find the submissions in the input folder (subfolders too)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})


@dataclass(frozen=True)
class InputFile:
    path: Path
    rel: str  # path relative to the input folder, POSIX style: how files are named in every report

    @property
    def is_workbook(self) -> bool:
        return self.path.suffix.lower() in WORKBOOK_SUFFIXES


def discover(folder: Path, exclude: Path | None = None) -> list[InputFile]:
    """Every file below `folder`, sorted by relative path; lock files and hidden files are left out silently."""
    found = []
    excluded = exclude.resolve() if exclude else None
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        if excluded and (path.resolve() == excluded or excluded in path.resolve().parents):
            continue
        if path.is_file():
            found.append(InputFile(path=path, rel=rel.as_posix()))
    return sorted(found, key=lambda f: f.rel)
