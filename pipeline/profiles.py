"""Rule profiles: versioned TOML data shipped in the package, validated when loaded."""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.terms import JENIS_JABATAN, STRUKTURAL
from pipeline.textnorm import match_key

PROFILE_DIR = "profiles"
DEFAULT_PROFILE = "nganjuk-2025"
UNITS = frozenset({"sesi", "kegiatan", "hari", "semester", "program"})
KARTU_KLASIKAL = ("Pelatihan", "Sosialisasi", "Workshop", "Klasikal Lainnya")
KARTU_NON_KLASIKAL = ("Coaching", "Mentoring", "Non Klasikal Lainnya")
KARTU_COLUMNS = KARTU_KLASIKAL + KARTU_NON_KLASIKAL
KARTU_GROUPS = {"klasikal": KARTU_KLASIKAL, "non klasikal": KARTU_NON_KLASIKAL}  # Lampiran III's two groups
SESSION_ACTIVITIES = ("coaching", "mentoring")

_TOP_KEYS = {
    "id",
    "name",
    "version",
    "basis",
    "other_basis",
    "yearly_target_jp",
    "report_deadline_months",
    "session_recipients_pns_only",
    "ip_asn",
    "activities",
}
_ACTIVITY_KEYS = {
    "label",
    "category",
    "kartu_column",
    "unit",
    "jp_national",
    "jp_international",
    "international_multiplier",
    "max_per_month",
    "max_jp_per_day",
    "max_jp_per_day_international",
    "aliases",
}
_IP_KEYS = {"basis", "indicator_20jp"}


class ProfileError(ValueError):
    """A profile is unknown or its TOML does not describe valid rules."""


@dataclass(frozen=True)
class Activity:
    key: str
    label: str
    category: str
    kartu_column: str
    unit: str
    jp_national: float | None = None
    jp_international: float | None = None
    international_multiplier: float | None = None
    max_per_month: int | None = None
    max_jp_per_day: float | None = None
    max_jp_per_day_international: float | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    version: str
    basis: str
    other_basis: str
    yearly_target_jp: float
    report_deadline_months: int | None
    activities: dict[str, Activity]
    indicator_20jp: dict[str, float]
    ip_asn_basis: str  # the regulation the indicator comes from (Peraturan BKN 8/2019), on Ringkasan
    sha256: str = ""
    source: str = ""  # the TOML file's path when the profile is not a shipped one
    alias_index: dict[str, str] = field(default_factory=dict)
    # True where the regulation names coachee and mentee as PNS: a PPPK recipient gets PENERIMA_PPPK
    session_recipients_pns_only: bool = False

    @property
    def other_activities(self) -> dict[str, Activity]:
        return {k: a for k, a in self.activities.items() if k not in SESSION_ACTIVITIES}

    def indicator_scores(self) -> dict[str, float]:
        """indicator_20jp, plus SIASN's "Struktural" (a structural post without eselon) where JPT,
        Administrator and Pengawas score alike; where they differ it stays unscored (unknown)."""
        structural = {self.indicator_20jp[j] for j in ("JPT", "Administrator", "Pengawas")}
        extra = {STRUKTURAL: structural.pop()} if len(structural) == 1 else {}
        return {**self.indicator_20jp, **extra}

    def activity_for(self, text: str) -> str | None:
        """The activity key for a Jenis Kegiatan as people write it, or None."""
        return self.alias_index.get(match_key(text))


def available_profiles() -> list[str]:
    folder = resources.files("pipeline").joinpath(PROFILE_DIR)
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(name: str) -> Profile:
    """A shipped profile by its id, or any region's own profile by the path of its TOML file."""
    if name in available_profiles():
        raw = resources.files("pipeline").joinpath(PROFILE_DIR, f"{name}.toml").read_bytes()
        return parse_profile(raw, source=f"{name}.toml")
    path = Path(name)
    if path.suffix.lower() == ".toml" or path.is_file():
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise ProfileError(f"Berkas profil '{name}' tidak ada.") from exc
        except OSError as exc:
            raise ProfileError(f"Berkas profil '{name}' tidak dapat dibaca ({exc.strerror or exc}).") from exc
        return replace(parse_profile(raw, source=path.name), source=str(path.resolve()))
    known = ", ".join(available_profiles())
    raise ProfileError(
        f"Profil '{name}' tidak dikenal. Profil yang tersedia: {known}; atau berikan path berkas profil .toml "
        "(lihat docs/profil.md)."
    )


def parse_profile(raw: bytes, source: str = "<profile>") -> Profile:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{source}: bukan TOML yang sah: {exc}") from exc
    _check_keys(data, _TOP_KEYS, source)
    for key in ("id", "name", "version", "basis", "yearly_target_jp", "activities", "ip_asn"):
        if key not in data:
            raise ProfileError(f"{source}: kunci wajib '{key}' tidak ada.")
    activities = {key: _parse_activity(key, spec, source) for key, spec in data["activities"].items()}
    for required in SESSION_ACTIVITIES:
        if required not in activities:
            raise ProfileError(f"{source}: kegiatan wajib '{required}' tidak ada.")
        if activities[required].max_per_month is None:
            raise ProfileError(f"{source}: kegiatan '{required}' harus punya max_per_month.")
    ip = data["ip_asn"]
    _check_keys(ip, _IP_KEYS, f"{source} [ip_asn]")
    indicator = {
        str(k): _number(v, k, f"{source} ip_asn.indicator_20jp")
        for k, v in ip.get("indicator_20jp", {}).items()
    }
    missing = [j for j in JENIS_JABATAN if j not in indicator]
    if missing:
        raise ProfileError(f"{source}: ip_asn.indicator_20jp tidak punya nilai untuk {', '.join(missing)}.")
    _check_non_negative(indicator, f"{source} ip_asn.indicator_20jp")
    target = _number(data["yearly_target_jp"], "yearly_target_jp", source)
    if target <= 0:
        raise ProfileError(f"{source}: yearly_target_jp harus lebih dari 0.")
    deadline = data.get("report_deadline_months")
    if deadline is not None and (_number(deadline, "report_deadline_months", source) != int(deadline)):
        raise ProfileError(f"{source}: 'report_deadline_months' harus bilangan bulat ({deadline}).")
    return Profile(
        id=data["id"],
        name=data["name"],
        version=str(data["version"]),
        basis=data["basis"],
        other_basis=data.get("other_basis", ""),
        yearly_target_jp=target,
        report_deadline_months=data.get("report_deadline_months"),
        session_recipients_pns_only=bool(data.get("session_recipients_pns_only", False)),
        activities=activities,
        indicator_20jp=indicator,
        ip_asn_basis=str(ip.get("basis", "")),
        sha256=hashlib.sha256(raw).hexdigest(),
        alias_index=_alias_index(activities, source),
    )


def _parse_activity(key: str, spec: dict[str, Any], source: str) -> Activity:
    where = f"{source} [activities.{key}]"
    _check_keys(spec, _ACTIVITY_KEYS, where)
    for required in ("label", "category", "kartu_column", "unit"):
        if required not in spec:
            raise ProfileError(f"{where}: kunci wajib '{required}' tidak ada.")
    if spec["unit"] not in UNITS:
        raise ProfileError(f"{where}: unit '{spec['unit']}' tidak dikenal ({', '.join(sorted(UNITS))}).")
    if spec["kartu_column"] not in KARTU_COLUMNS:
        raise ProfileError(f"{where}: kartu_column '{spec['kartu_column']}' bukan kolom Kartu Pengendalian.")
    if spec["category"] not in KARTU_GROUPS:
        raise ProfileError(f"{where}: category harus 'klasikal' atau 'non klasikal'.")
    if spec["kartu_column"] not in KARTU_GROUPS[spec["category"]]:
        raise ProfileError(
            f"{where}: kartu_column '{spec['kartu_column']}' bukan kolom kelompok {spec['category']} "
            f"({', '.join(KARTU_GROUPS[spec['category']])})."
        )
    numbers = {
        k: v for k, v in spec.items() if k not in ("label", "category", "kartu_column", "unit", "aliases")
    }
    _check_non_negative(numbers, where)
    fixed_unit = spec["unit"] in ("sesi", "kegiatan", "hari", "semester")
    if fixed_unit and "jp_national" not in spec:
        raise ProfileError(f"{where}: unit '{spec['unit']}' membutuhkan jp_national.")
    if fixed_unit and "jp_international" not in spec and "international_multiplier" not in spec:
        raise ProfileError(f"{where}: isi jp_international atau international_multiplier.")
    if (
        spec["unit"] == "program"
        and "international_multiplier" not in spec
        and "max_jp_per_day_international" not in spec
    ):
        raise ProfileError(f"{where}: unit 'program' membutuhkan international_multiplier.")
    return Activity(key=key, **{**spec, "aliases": tuple(spec.get("aliases", ()))})


def _alias_index(activities: dict[str, Activity], source: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, activity in activities.items():
        for text in (key.replace("_", " "), activity.label, *activity.aliases):
            alias = match_key(text)
            if index.get(alias, key) != key:
                raise ProfileError(f"{source}: alias '{text}' dipakai oleh '{index[alias]}' dan '{key}'.")
            index[alias] = key
    return index


def _check_keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ProfileError(f"{where}: kunci tidak dikenal: {', '.join(unknown)}.")


def _check_non_negative(numbers: dict[str, Any], where: str) -> None:
    for name, value in numbers.items():
        _number(value, name, where)


def _number(value: object, name: str, where: str) -> float:
    """A profile's number: an int or float of TOML, finite and not negative (nan, inf and text refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProfileError(f"{where}: '{name}' harus berupa angka.")
    if not math.isfinite(value):
        raise ProfileError(f"{where}: '{name}' harus berupa angka biasa, bukan {value}.")
    if value < 0:
        raise ProfileError(f"{where}: '{name}' tidak boleh negatif ({value}).")
    return float(value)
