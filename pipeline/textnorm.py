"""Text normalisation shared by header matching, value parsing and lookups.

Scalar helpers serve headers and lookups (a few hundred strings); `clean_text` works on whole columns.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pandas as pd

# Characters str.strip() keeps but users never mean: zero-width space/joiners, BOM, soft hyphen.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_INVISIBLE_RE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
_NON_WORD = re.compile(r"[^0-9a-z]+")

# Token spellings people use interchangeably in headers and activity names.
_TOKEN_SYNONYMS = {
    "golongan": "gol",
    "gol.": "gol",
    "tgl": "tanggal",
    "tanggal": "tanggal",
    "nomor": "no",
    "nama": "nama",
    "pangkat": "pangkat",
    "unitkerja": "unit kerja",
}


def clean_scalar(value: object) -> str:
    """One cell as clean text: NFKC, invisible characters removed, whitespace collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(INVISIBLE)
    return " ".join(text.split())


def tokens(text: object) -> list[str]:
    words = _NON_WORD.split(clean_scalar(text).casefold())
    out: list[str] = []
    for word in words:
        if word:
            out.extend(_TOKEN_SYNONYMS.get(word, word).split())
    return out


def match_key(text: object) -> str:
    """Case-, spacing-, punctuation- and word-order-insensitive key."""
    return _text_key(text if isinstance(text, str) else clean_scalar(text))


@functools.lru_cache(maxsize=1 << 16)
def _text_key(text: str) -> str:
    """match_key of a text, remembered: header search keys the same few hundred cell texts per sheet."""
    return " ".join(sorted(tokens(text)))


def clean_text(series: pd.Series) -> pd.Series:
    """Vectorised clean_scalar for a column of raw cells; empty cells become <NA>."""
    text = series.astype("string")
    unusual = text.str.contains(r"[^\x20-\x7e]", regex=True).fillna(False)
    if unusual.any():  # NFKC runs per element in Python: only where a non-ASCII character is present
        text = text.mask(
            unusual, text[unusual].str.normalize("NFKC").str.replace(_INVISIBLE_RE, "", regex=True)
        )
    text = text.str.replace(r"\s+", " ", regex=True).str.strip()
    return text.mask(text == "")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and line feed are text


def visible(text: str) -> str:
    """Control characters (the ESC of an ANSI sequence, NUL, a carriage return) written as \\x1b: shown
    where text lands (a terminal, a comment's XML), never obeyed or refused."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)
