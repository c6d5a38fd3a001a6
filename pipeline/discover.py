"""Stage 1: find the submissions in the input folder (subfolders too), and leave this program's own
outputs alone wherever they lie: an old output folder inside the input is not a pile of submissions."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.instansi import SETTINGS_NAME
from pipeline.terms import OUTPUT_FOLDERS, OUTPUT_MARK

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".csv"})  # a CSV: a SIASN roster export
# Names of the files a run writes at the top of its output folder (SPEC §6).
_OWN_NAMES = re.compile(
    r"^(?:rekap|ip_asn|manifest|detail_kegiatan|ringkasan_validasi)_\d{4}\.(?:xlsx|json|parquet)$"
)
_MAX_PROPERTIES_BYTES = 1 << 16


@dataclass(frozen=True)
class InputFile:
    path: Path
    rel: str  # path relative to the input folder, POSIX style: how files are named in every report
    own_output: bool = False  # written by an earlier run of this program: listed as skipped, never read

    @property
    def is_workbook(self) -> bool:
        return not self.own_output and self.path.suffix.lower() in WORKBOOK_SUFFIXES

    @property
    def is_other(self) -> bool:
        """Neither a workbook to read nor an output of ours: reported as FILE_UNSUPPORTED."""
        return not self.own_output and not self.is_workbook


def discover(folder: Path, exclude: Path | None = None) -> list[InputFile]:
    """Every file below `folder`, sorted by relative path; lock files, hidden files and the settings file
    (instansi.toml at the top) are left out silently."""
    found = []
    excluded = exclude.resolve() if exclude else None
    if excluded is not None and (excluded == folder.resolve() or excluded in folder.resolve().parents):
        excluded = None  # INPUT is OUTPUT or inside it: own outputs are told apart by name and mark alone
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        if excluded and (path.resolve() == excluded or excluded in path.resolve().parents):
            continue
        if rel.as_posix() == SETTINGS_NAME:
            continue
        if path.is_file():
            found.append(InputFile(path=path, rel=rel.as_posix(), own_output=is_own_output(path, rel)))
    return sorted(found, key=lambda f: f.rel)


def is_own_output(path: Path, rel: Path) -> bool:
    """Inside a folder this program writes, or a workbook marked as ours in its properties, or named as a
    file a run writes and (for a workbook) titled so by this program: an OPD's own "rekap_2025.xlsx" is read."""
    folders = rel.parts[:-1]
    if any(part in OUTPUT_FOLDERS or re.fullmatch(r"(?:sertifikat|kartu)_\d{4}", part) for part in folders):
        return True
    properties = _core_properties(path)
    if OUTPUT_MARK in properties:
        return True
    if not _OWN_NAMES.match(path.name):
        return False
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return True
    # outputs of versions before the mark: written by rekap-jp and titled with their own name
    return (
        "<dc:creator>rekap-jp</dc:creator>" in properties
        and f"<dc:title>{path.stem}</dc:title>" in properties
    )


def _core_properties(path: Path) -> str:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return ""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > _MAX_PROPERTIES_BYTES:
                return ""
            return archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ""  # not ours; the reader reports what is wrong with it
