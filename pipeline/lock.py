"""One run at a time per output folder: a lock file saying who runs there (pid, host, start time).

Two runs into one folder would archive into one riwayat/ folder and mix their files at the top. A run
creates `.rekap-jp.lock` in the output folder exclusively (O_EXCL) before it reads anything of an earlier
run, and removes it when it ends, however it ends. A second run finds the lock and stops with exit 2 naming
the holder. A lock whose holder is gone (a run killed on this machine) is taken over, and the run says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from pipeline.manifest import read_json_object
from pipeline.usage import UsageError

LOCK_NAME = ".rekap-jp.lock"  # hidden: never read as a submission, never archived


class FolderInUse(UsageError):
    """Another run holds the output folder (exit code 2)."""


@contextlib.contextmanager
def holding(folder: Path) -> Iterator[list[str]]:
    """Hold the folder's lock for the block; yields what the analyst should be told (a stale lock taken)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    me = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "mulai": dt.datetime.now().isoformat(timespec="seconds"),
    }
    told = []
    while not _create(path, me):
        holder = read_json_object(path)  # None: unreadable, taken as stale
        if holder is not None and _alive(holder):
            raise FolderInUse(
                f"Folder hasil ({{option}}) '{folder}' sedang dipakai run lain (pid {holder.get('pid')} di "
                f"{holder.get('host')}, mulai {holder.get('mulai')}). Tunggu run itu selesai, lalu jalankan "
                f"ulang. Bila run itu sudah tidak ada, hapus berkas {path}.",
                "--output",
            )
        told.append(
            "kunci folder hasil dari run yang tidak selesai "
            f"({_who(holder)}) diambil alih; hasil run itu tidak dipakai."
        )
        path.unlink(missing_ok=True)
    try:
        yield told
    finally:
        if read_json_object(path) == me:
            path.unlink(missing_ok=True)


def _create(path: Path, me: dict[str, object]) -> bool:
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(me, out)
    return True


def _alive(holder: dict[str, object]) -> bool:
    """A holder on another machine is taken as alive (it cannot be asked); on this one, its pid is asked."""
    if holder.get("host") != socket.gethostname():
        return True
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _who(holder: dict[str, object] | None) -> str:
    if holder is None:
        return "isinya tidak terbaca"
    return f"pid {holder.get('pid')} di {holder.get('host')}, mulai {holder.get('mulai')}"
