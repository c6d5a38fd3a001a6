"""Which names are OPDs, and which OPD another spelling of a name means.

The known OPDs of a run are the names the submissions' Identitas give, the Perangkat Daerah column of a
Data Pegawai roster, and instansi.toml's `daftar_opd`. Any other name (a Peta Unor row, a file name) means
the known OPD whose words it has, case, punctuation, the region ("Kabupaten Nganjuk") and common
abbreviations (pipeline/data/singkatan_opd.toml: Bappeda, Dinkes, Dinas PUPR, ...) aside. A name that
means none is not an OPD: it is reported with the closest known name, never made a new OPD.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.textnorm import clean_scalar, tokens

ABBREVIATIONS_FILE = Path(__file__).parent / "data" / "singkatan_opd.toml"
_REGION = re.compile(r"\b(?:pemerintah )?(?:kabupaten|kab|kota|pemkab|pemkot) \w+\b")
_FILLER = frozenset({"dan", "kab", "kabupaten", "kota", "pemerintah"})
# words of a file name that say what the file is, not whose it is ("bappeda coaching 2025 revisi")
_FILE_WORDS = frozenset({"coaching", "mentoring", "laporan", "rekap", "data", "kegiatan", "jp", "revisi",
                         "perbaikan", "ditandai", "semester", "tahun", "final", "baru", "lama"})  # fmt: skip


@functools.cache
def abbreviations() -> dict[str, str]:
    """abbreviation (its words joined by a space) -> what it stands for, both as match words."""
    table = tomllib.loads(ABBREVIATIONS_FILE.read_text(encoding="utf-8")).get("singkatan", {})
    return {" ".join(tokens(short)): " ".join(tokens(full)) for short, full in table.items()}


def opd_words(name: object) -> frozenset[str]:
    """The words that identify an OPD: abbreviations spelled out, the region and fillers left out."""
    return _words(clean_scalar(name))


@functools.lru_cache(maxsize=1 << 12)
def _words(name: str) -> frozenset[str]:
    """opd_words of a name, remembered: a roster repeats its OPD names on every row."""
    text = f" {' '.join(tokens(name))} "
    for short, full in sorted(abbreviations().items(), key=lambda item: -len(item[0])):
        text = text.replace(f" {short} ", f" {full} ")
    text = _REGION.sub(" ", text)
    return frozenset(w for w in text.split() if w not in _FILLER)


@dataclass(frozen=True)
class KnownOpds:
    """The OPD names of a run, in the spelling that wins (daftar_opd, then the roster, then Identitas)."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, *sources: Iterable[str]) -> KnownOpds:
        names: dict[frozenset[str], str] = {}
        for source in sources:
            for name in dict.fromkeys(source):  # each distinct name once, in order
                text = clean_scalar(name)
                if text and opd_words(text):
                    names.setdefault(opd_words(text), text)
        return cls(tuple(names.values()))

    def meaning(self, name: object) -> str | None:
        """The known OPD a name means (the same words once abbreviations are spelled out), else None."""
        words = opd_words(name)
        return next((known for known in self.names if words and opd_words(known) == words), None)

    def within(self, text: object) -> str | None:
        """The known OPD whose every word a longer text (a file name) holds, the most specific first."""
        words = opd_words(text)
        held = [known for known in self.names if opd_words(known) <= words]
        return max(held, key=lambda known: len(opd_words(known)), default=None)

    def closest(self, name: object) -> str:
        """The known name most like `name`, for a message ("" when none is near)."""
        lowered = {known.casefold(): known for known in self.names}
        near = difflib.get_close_matches(clean_scalar(name).casefold(), list(lowered), n=1, cutoff=0.6)
        return lowered[near[0]] if near else ""

    def of_file(self, stem: str) -> str | None:
        """The known OPD a file's name names: its words besides those saying what the file is."""
        words = [w for w in tokens(stem) if w not in _FILE_WORDS and not w.isdigit()]
        return self.within(" ".join(words)) if words else None
