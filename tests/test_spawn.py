"""Windows starts worker processes with `spawn`: the whole run with two workers must work that way too."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import A, B, C, coaching_row, rekap, sheet_rows, submission

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """\
import multiprocessing
import sys

from pipeline.cli import main

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn", force=True)
    sys.exit(main(sys.argv[1:]))
"""


def test_a_run_with_spawned_workers_matches_a_serial_one(tmp_path):
    inp = tmp_path / "masuk"
    inp.mkdir()
    for number, nip in enumerate((A, B, C, A)):  # four files: reading goes to the workers too
        rows = [coaching_row(dt.date(2025, month, 3 + number), nip) for month in (1, 2, 3)]
        submission(inp, f"opd_{number}.xlsx", opd=f"Dinas {number}", coaching=rows)
    script = tmp_path / "spawn_run.py"
    script.write_text(SCRIPT, encoding="utf-8")
    spawned = tmp_path / "spawn"
    command = [
        sys.executable,
        str(script),
        "rekap",
        "--input",
        str(inp),
        "--output",
        str(spawned),
        "--jobs",
        "2",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    serial = tmp_path / "serial"
    rekap(inp, serial, jobs=1)
    for book, sheet in (
        ("rekap_2025.xlsx", "Rekap Pegawai"),
        ("ip_asn_2025.xlsx", "Kartu Pengendalian 20 JP"),
    ):
        assert sheet_rows(spawned / book, sheet) == sheet_rows(serial / book, sheet)
    assert sorted(p.name for p in (spawned / "sertifikat_2025").iterdir()) == [
        f"Dinas {n}.pdf" for n in range(3)
    ]  # A is counted under Dinas 0


def test_the_installed_command_is_rekap_jp():
    command = Path(sys.executable).with_name("rekap-jp")
    done = subprocess.run(
        [str(command), "profiles"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("nganjuk-2025 (bawaan): Kabupaten Nganjuk 2025.")


def backend(environment: dict[str, str]) -> str:
    probe = "import pipeline, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_pipeline_allocates_arrow_memory_with_the_c_library_unless_told_otherwise():
    """pyarrow's default allocator (mimalloc) made a 200k-row run about 15% slower here (decision 102); the
    choice holds for every process that imports the pipeline first, and an analyst's own setting wins."""
    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    assert backend(environment) == "system"
    assert backend({**environment, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}) == "mimalloc"
