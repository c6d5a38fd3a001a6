"""Problems with what the user asked for, found before any file is read.

Messages name the option the user typed through `{option}`: the command line fills in `--output` or, when
run through make, `OUTPUT=` (see cli.option_label). The library itself never knows which.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


class UsageError(Exception):
    """The command was asked for something impossible (exit code 2)."""

    def __init__(self, message: str, option: str = "") -> None:
        super().__init__(message)
        self.template = message
        self.option = option

    def render(self, label: str) -> str:
        return self.template.replace("{option}", label)

    def __str__(self) -> str:
        return self.render(self.option)


class NothingReadable(Exception):
    """No input could be read at all (exit code 3)."""


class OutputNotWritable(UsageError):
    """The outputs could not be written where the user asked (exit code 2); earlier outputs are untouched."""


def check_input(folder: Path) -> None:
    if folder.is_file():
        raise UsageError(
            f"{{option}} '{folder}' adalah sebuah berkas, bukan folder; berikan folder yang berisi berkas OPD.",
            "--input",
        )
    if not folder.is_dir():
        raise UsageError(f"Folder masukan {{option}} '{folder}' tidak ada.", "--input")


def check_roster(path: Path | None) -> None:
    if path is not None and not path.is_file():
        raise UsageError(f"Berkas Data Pegawai {{option}} '{path}' tidak ada.", "--roster")


def check_output(folder: Path) -> None:
    """The output folder exists (or can be made) and a file can be written in it."""
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            where = "" if part == folder else f": '{part}' adalah sebuah berkas"
            raise UsageError(
                f"Folder hasil {{option}} '{folder}' tidak dapat dipakai{where or ' karena ia sebuah berkas'}; "
                "pilih folder lain.",
                "--output",
            )
        if part.exists():
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(b"rekap-jp")  # a file can be created and written there
    except OSError as exc:
        raise UsageError(
            f"Folder hasil {{option}} '{folder}' tidak dapat ditulis ({exc.strerror or exc}); "
            "pilih folder lain atau periksa izinnya.",
            "--output",
        ) from exc


def check_year(text: str | None) -> int | None:
    """YEAR as typed: empty means 'from the files'; otherwise a four-digit year."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise UsageError(
            f"{{option}} '{text}' bukan tahun; tulis tahun dengan empat angka, misalnya 2025.", "--year"
        )
    return int(value)
