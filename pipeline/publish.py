"""All of a run's outputs appear together or not at all.

Outputs are written into a hidden staging folder inside the output folder; only when every one of them
is written does the run move the earlier run's files to riwayat/ and its own into place. A run that fails
midway leaves the previous outputs where they were (and removes its staging folder).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".rekap-jp-sementara-"


@contextlib.contextmanager
def staged(root: Path) -> Iterator[Path]:
    root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def move_into_place(stage: Path, root: Path, written: list[Path]) -> list[Path]:
    """Move each staged file to the same relative path under `root`; returns the final paths."""
    final = []
    for path in written:
        target = root / path.relative_to(stage)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        final.append(target)
    return final
