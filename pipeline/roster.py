"""What a roster's columns mean: the template's Data Pegawai, or BKN's SIASN "Export Data ASN".

A SIASN export needs reading before it says who works where: values carry a leading apostrophe and the
text `null`, the name stands apart from its titles, PNS/PPPK and the kind of position are spelled out, only
KEDUDUKAN HUKUM "Aktif" is the workforce, and UNOR NAMA is the work unit (a bidang, a puskesmas, a school),
not the OPD. A unit belongs to the OPD whose name it contains (as the submissions' Identitas name them), else
to the one a Peta Unor sheet gives it. Pure functions on columns: normalise assembles them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from pipeline.terms import STRUKTURAL
from pipeline.textnorm import clean_scalar, tokens

_JENIS = {
    "jpt": "JPT",
    "jabatan pimpinan tinggi": "JPT",
    "pimpinan tinggi": "JPT",
    "jpt pratama": "JPT",
    "jabatan pimpinan tinggi pratama": "JPT",
    "administrator": "Administrator",
    "jabatan administrator": "Administrator",
    "pengawas": "Pengawas",
    "jabatan pengawas": "Pengawas",
    "jf": "JF",
    "fungsional": "JF",
    "jabatan fungsional": "JF",
    "fungsional tertentu": "JF",
    "jabatan fungsional tertentu": "JF",
    "jft": "JF",
    "pelaksana": "Pelaksana",
    "jabatan pelaksana": "Pelaksana",
    "fungsional umum": "Pelaksana",
    "jabatan fungsional umum": "Pelaksana",
    "jfu": "Pelaksana",
    "struktural": STRUKTURAL,
    "jabatan struktural": STRUKTURAL,
}
# Eselon I and II are JPT, III Administrator, IV (and the old V) Pengawas.
_ESELON = {"i": "JPT", "ii": "JPT", "iii": "Administrator", "iv": "Pengawas", "v": "Pengawas"}
_ESELON_DIGIT = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v"}
_EMPTY_EXPORT_VALUES = frozenset({"null", "none", "nan", "-"})
# "Kabupaten Nganjuk", "Kota Pangkalpinang" at the end of an OPD name: a unit rarely repeats it.
_REGION_SUFFIX = re.compile(r" (?:kabupaten|kab|kota) \w+$")
ACTIVE = "aktif"


def clean_export(frame: pd.DataFrame, fields: Iterable[str]) -> pd.DataFrame:
    """SIASN writes '199001012015031001 (a leading apostrophe keeps a NIP text in Excel) and `null` for
    nothing: both become what a person would have typed."""
    out = frame.copy()
    for name in fields:
        if name not in out.columns:
            continue
        out[name] = out[name].map(_typed_value)
    return out


def _typed_value(value: object) -> object:
    """One exported cell as typed: stripped, without the leading apostrophe, "" for `null` and the like."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    text = text[1:] if text.startswith("'") else text
    return "" if text.casefold() in _EMPTY_EXPORT_VALUES else text


def full_name(front: pd.Series, name: pd.Series, back: pd.Series) -> pd.Series:
    """GELAR DEPAN + NAMA + ", " + GELAR BELAKANG, as people write a name on a form ("Dr. Siti, S.E.")."""
    head = (front.fillna("") + " " + name.fillna("")).str.strip()
    whole = head.where(back.isna() | name.isna(), head + ", " + back.fillna(""))
    return whole.where(name.notna()).astype("string")


def asn_kind(text: pd.Series) -> pd.Series:
    """PNS or PPPK from a Status or SIASN JENIS PEGAWAI NAMA ("PNS Daerah ...", "PPPK", "CPNS")."""
    key = text.str.casefold()
    pppk = key.str.contains(r"pppk|perjanjian kerja", regex=True)
    pns = key.str.contains(r"pns|pegawai negeri", regex=True)
    out = pd.Series(pd.NA, index=text.index, dtype="string")
    out = out.mask(pns.fillna(False), "PNS")
    return out.mask(pppk.fillna(False), "PPPK").fillna(text.str.upper())


def jenis_jabatan(text: pd.Series, eselon: pd.Series) -> pd.Series:
    """JPT / Administrator / Pengawas / JF / Pelaksana; a structural post by its eselon where given,
    else "Struktural"."""
    key = text.str.casefold().str.replace(r"[^a-z ]", " ", regex=True).str.split().str.join(" ")
    jenis = key.map(_JENIS).astype("string")
    by_eselon = eselon_jenis(eselon)
    return jenis.mask(jenis.eq(STRUKTURAL).fillna(False) & by_eselon.notna(), by_eselon)


def eselon_jenis(eselon: pd.Series) -> pd.Series:
    """ "II.b", "III/a", "IV.a", "32" (SIASN's ids) -> the jenis jabatan that eselon is."""
    key = eselon.astype("string").str.casefold().str.strip()
    roman = key.str.extract(r"^(?:eselon\s*)?(iv|v|i{1,3})\b", expand=False)
    digit = key.str.extract(r"^([1-5])", expand=False).map(_ESELON_DIGIT)
    return roman.fillna(digit).map(_ESELON).astype("string")


def is_active(kedudukan: pd.Series) -> pd.Series:
    """Only KEDUDUKAN HUKUM "Aktif" is the workforce; a roster without the column is all active."""
    return (kedudukan.isna() | kedudukan.str.casefold().str.strip().eq(ACTIVE)).astype(bool)


def unit_key(text: object) -> str:
    return " ".join(tokens(text))


def unit_map(frame: pd.DataFrame) -> dict[str, str]:
    """A Peta Unor sheet (unor, opd): unit key -> OPD, the first row of a unit winning; blank OPDs skipped."""
    found: dict[str, str] = {}
    for unit, opd in zip(frame.get("unor", []), frame.get("opd", []), strict=True):
        key, name = unit_key(unit), clean_scalar(opd) if isinstance(opd, str) else ""
        if key and name:
            found.setdefault(key, name)
    return found


def unit_opd(
    stated: pd.Series, units: list[pd.Series], opd_names: Iterable[str], mapping: dict[str, str]
) -> tuple[pd.Series, pd.Series]:
    """The OPD of each roster row and how it was found: the roster's own Perangkat Daerah column, else the
    Peta Unor of its unit, else an OPD name its unit contains; then the same for its parent unit (`units`
    lists the unit, then the parent unit)."""
    opd = stated.astype("string")
    source = pd.Series(pd.NA, index=stated.index, dtype="string").mask(opd.notna(), "Data Pegawai")
    names = sorted({" ".join(n.split()) for n in opd_names if n and n.strip()}, key=len, reverse=True)
    keys = [(name, _REGION_SUFFIX.sub("", unit_key(name)), unit_key(name)) for name in names]
    for level, unit in enumerate(units):
        distinct = {u: unit_key(u) for u in unit.dropna().unique()}  # a unit's key once, not once per row
        induk = " induk" if level else ""
        ways = ((f"Peta Unor{induk}", mapping.get), (f"nama unit{induk}", lambda k: _by_name(k, keys)))
        for how, lookup in ways:
            found = unit.map({u: lookup(k) for u, k in distinct.items()}).astype("string")
            fill = opd.isna() & found.notna()
            opd, source = opd.mask(fill, found), source.mask(fill, how)
    return opd, source


def _by_name(key: str, keys: list[tuple[str, str, str]]) -> str | None:
    """The longest OPD name the unit's name contains (whole words; "Kabupaten X" at its end not needed), else
    the one OPD whose name contains the unit's (two words at least: "Dinas Kesehatan"). `keys`: per OPD name,
    longest first, (name, its key without the region, its key)."""
    if not key:
        return None
    padded = f" {key} "
    for name, core, _ in keys:
        if core and f" {core} " in padded:
            return name
    if len(key.split()) < 2:
        return None
    holders = [name for name, _, full in keys if padded in f" {full} "]
    return holders[0] if len(holders) == 1 else None


def unmapped(roster: pd.DataFrame) -> pd.DataFrame:
    """The roster rows of active employees whose unit (UNOR) maps to no OPD."""
    return roster[roster["aktif"] & roster["opd"].isna() & roster["unor"].notna()]


def unit_table(roster: pd.DataFrame) -> pd.DataFrame:
    """peta_unor_<TAHUN>.xlsx: every distinct unit of the roster, the OPD it was given (blank where none),
    how, and its number of active employees: for the analyst to complete and drop back in."""
    rows = roster[roster["unor"].notna()] if "unor" in roster.columns else roster.iloc[0:0]
    grouped = rows.groupby("unor", sort=True, dropna=True).agg(
        opd=("opd", "first"), source=("opd_source", "first"), n=("aktif", "sum")
    )
    return pd.DataFrame(
        {
            "Unor": grouped.index.astype("string"),
            "Perangkat Daerah": grouped["opd"].astype("string").to_numpy(),
            "Dasar Pemetaan": grouped["source"].astype("string").fillna("belum dipetakan").to_numpy(),
            "Jumlah Pegawai Aktif": grouped["n"].astype("int64").to_numpy(),
        }
    )
