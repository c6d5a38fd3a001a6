"""`dokumen`: the certificates and Kartu PDFs again, from the last run's outputs, so the analyst re-prints
after changing the signatory (instansi.toml) without re-running the batch.

It reads `Daftar Sertifikat` (rekap_<TAHUN>.xlsx) and `Kartu Pengendalian 20 JP` (ip_asn_<TAHUN>.xlsx), the
profile's legal basis named by the manifest, and writes the same two folders a run writes. The PDFs they
replace move to riwayat/<YYYYMMDD-HHMMSS>/ first, and the manifest's outputs list the new files' sha256.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine as pc

from pipeline.documents import Letter, write_documents
from pipeline.history import HISTORY_FOLDER, free_folder, move_to_history, read_sheet, stamp_of
from pipeline.instansi import InstansiError, find_settings, load_instansi, settings_warnings
from pipeline.manifest import manifest_path, read_manifest, sha256_of, write_manifest
from pipeline.profiles import ProfileError, load_profile
from pipeline.publish import move_into_place, staged
from pipeline.usage import UsageError

REGISTER = ("rekap_{year}.xlsx", "Daftar Sertifikat")
KARTU = ("ip_asn_{year}.xlsx", "Kartu Pengendalian 20 JP")
DOCUMENT_FOLDERS = ("sertifikat_{year}", "kartu_{year}")


@dataclass
class Reprinted:
    files: list[Path]
    pages: int  # certificates
    warnings: list[str] = field(default_factory=list)


def reprint(
    output: Path, year: int | None, input_folder: Path | None, instansi_path: Path | None, today: dt.date
) -> Reprinted:
    year = year or last_year(output)
    manifest = read_manifest(manifest_path(output, year))
    if manifest is None:
        raise UsageError(
            f"Hasil run tahun {year} tidak ada di {{option}} '{output}'; jalankan make rekap dulu.",
            "--output",
        )
    try:
        named = manifest.get("profile", {})
        profile = load_profile(str(named.get("path") or named.get("id", "")))
        instansi = load_instansi(find_settings(instansi_path, input_folder or output))
    except (ProfileError, InstansiError) as exc:
        raise UsageError(str(exc), "--instansi") from exc
    register, kartu = (
        _read_sheet(output, name.format(year=year), sheet) for name, sheet in (REGISTER, KARTU)
    )
    letter = Letter(instansi, profile.basis, year, today)
    with staged(output) as stage:
        written = write_documents(stage, register, kartu, letter)
        _archive_documents(output, year)
        final = move_into_place(stage, output, written)
    _update_manifest(manifest_path(output, year), manifest, output, year, final)
    return Reprinted(final, len(register), settings_warnings(instansi))


def last_year(output: Path) -> int:
    years = sorted(
        int(m.group(1))
        for p in output.glob("manifest_*.json")
        if (m := re.fullmatch(r"manifest_(\d{4})\.json", p.name))
    )
    if not years:
        raise UsageError(
            f"Tidak ada hasil run di {{option}} '{output}'; jalankan make rekap dulu.", "--output"
        )
    return years[-1]


def _read_sheet(output: Path, name: str, sheet: str) -> pd.DataFrame:
    try:
        return read_sheet(output / name, sheet)
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise UsageError(
            f"Sheet {sheet} di {{option}} '{output / name}' tidak dapat dibaca ({exc}).", "--output"
        ) from exc


def _archive_documents(output: Path, year: int) -> None:
    """The PDFs being replaced move to riwayat/<stamp>/ under the same relative paths."""
    old = [
        p for folder in DOCUMENT_FOLDERS for p in sorted((output / folder.format(year=year)).glob("*.pdf"))
    ]
    if old:
        move_to_history(output, old, free_folder(output / HISTORY_FOLDER, stamp_of(old)))


def _update_manifest(
    path: Path, manifest: dict[str, object], output: Path, year: int, final: list[Path]
) -> None:
    folders = tuple(f"{folder.format(year=year)}/" for folder in DOCUMENT_FOLDERS)
    listed = manifest.get("outputs", [])
    kept = (
        [o for o in listed if isinstance(o, dict) and not str(o.get("path", "")).startswith(folders)]
        if isinstance(listed, list)
        else []
    )
    fresh = [{"path": p.relative_to(output).as_posix(), "sha256": sha256_of(p)} for p in final]
    write_manifest(path, {**manifest, "outputs": sorted(kept + fresh, key=lambda o: str(o["path"]))})
