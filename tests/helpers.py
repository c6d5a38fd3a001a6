"""Test helpers: tiny submissions built in the test, one quirk at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline.profiles import load_profile
from pipeline.run import RunConfig, RunResult, run
from pipeline.template import write_template

TODAY = dt.date(2026, 1, 15)
COACH = "197001011995031001"
COACH_NAME = "Drs. Bambang Santoso"
A = "198503122010012004"
B = "199001152015031002"
C = "198807072012121001"


def coaching_row(date: Any, recipient: str = A, giver: str = COACH, **extra: Any) -> dict[str, Any]:
    return {
        "tanggal": date,
        "nip_penerima": recipient,
        "nama_penerima": f"Pegawai {recipient[-4:]}",
        "nip_pembimbing": giver,
        "nama_pembimbing": COACH_NAME,
        "skala": "Nasional",
        "bukti": "form.pdf",
        **extra,
    }


def submission(
    folder: Path,
    name: str,
    opd: str = "Dinas Uji",
    profile: str = "nganjuk-2025",
    year: int = 2025,
    submitted: dt.date | None = None,
    periode: str | None = None,
    **rows: Any,
) -> Path:
    path = folder / name
    identitas = {"opd": opd, "tahun": year, "tanggal_penyerahan": submitted, "periode": periode}
    write_template(path, load_profile(profile), identitas, rows)
    return path


def roster_file(path: Path, rows: list[list[str]]) -> Path:
    """A Data Pegawai workbook: the header row, then one row per employee, every cell text."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data Pegawai"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rekap(input_dir: Path, output: Path, **options: Any) -> RunResult:
    return run(RunConfig(input=input_dir, output=output, today=TODAY, **options))


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A written sheet read back with openpyxl, as dicts keyed by header."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def by_nip(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["NIP"]: r for r in rows}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    inp, out = tmp_path / "masuk", tmp_path / "keluar"
    inp.mkdir()
    return inp, out
