"""Stage 5: every activity row gets exactly one status and its JP (SPEC §5)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.findings import REJECTING_CODES, cell_findings, concat_findings
from pipeline.profiles import Profile
from schemas import SESSION_SCHEMA

DIHITUNG, MELEBIHI, DUPLIKAT, LUAR_PERIODE, DITOLAK = (
    "Dihitung",
    "Melebihi Batas Bulanan",
    "Duplikat",
    "Di Luar Periode",
    "Ditolak",
)
STATUS_KEYS = {
    DIHITUNG: "counted",
    MELEBIHI: "capped",
    DUPLIKAT: "duplicate",
    LUAR_PERIODE: "out_of_period",
    DITOLAK: "rejected",
}
DEDUP_KEY = ["activity", "nip_penerima", "tanggal", "nip_pembimbing"]


def assign_status(
    acts: pd.DataFrame, findings: pd.DataFrame, profile: Profile, year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Status and Keterangan for every row, in the order of SPEC §5; returns the rows and the new findings."""
    rejecting = findings[findings["uid"].ge(0) & findings["code"].isin(REJECTING_CODES)]
    reasons = rejecting.groupby("uid")["code"].agg(lambda codes: ", ".join(dict.fromkeys(codes)))
    status = pd.Series(DITOLAK, index=acts.index, dtype="string").where(acts["uid"].isin(reasons.index))
    note = ("Ditolak: " + acts["uid"].map(reasons).astype("string")).astype("string")

    in_period = acts["tanggal"].dt.year.eq(year)
    out = status.isna() & ~in_period
    status = status.mask(out, LUAR_PERIODE)
    note = note.mask(out, f"Di luar tahun {year}")
    oop = acts[out]
    parts = [
        cell_findings(oop, "tanggal", "DATE_OUT_OF_PERIOD", oop["tanggal"].dt.strftime("%d/%m/%Y"), year)
    ]

    live = acts[status.isna()]
    key = live[DEDUP_KEY].assign(nip_pembimbing=live["nip_pembimbing"].fillna(""))
    dup = key.duplicated(keep="first")
    first = live.loc[~dup].assign(_k=_key_string(key[~dup])).set_index("_k")
    where = (
        first["file"].astype("string")
        + ", sheet "
        + first["sheet"].astype("string")
        + ", baris "
        + first["row"].astype("string")
    )
    dup_rows = live[dup]
    dup_where = _key_string(key[dup]).map(where)
    status = status.mask(status.index.isin(dup_rows.index), DUPLIKAT)
    note.loc[dup_rows.index] = ("Duplikat dari " + dup_where).to_numpy()
    parts.append(cell_findings(dup_rows, "tanggal", "DUPLICATE_SESSION", dup_rows["tanggal_text"], dup_where))

    capped_rows, cap_of = _over_monthly_cap(acts[status.isna()], profile)
    status = status.mask(status.index.isin(capped_rows.index), MELEBIHI)
    note.loc[capped_rows.index] = ("Melebihi batas " + cap_of + " sesi per bulan").to_numpy()
    parts.append(cell_findings(capped_rows, "tanggal", "MONTHLY_CAP", capped_rows["tanggal_text"], cap_of))

    status = status.fillna(DIHITUNG)
    result = acts.assign(status=status, keterangan_status=note.fillna(""))
    result = result.assign(jp=convert_jp(result, profile).where(result["status"].eq(DIHITUNG), 0.0))
    SESSION_SCHEMA.validate(result)
    return result, concat_findings(parts)


def _key_string(key: pd.DataFrame) -> pd.Series:
    return (
        key["activity"].astype(str)
        + "|"
        + key["nip_penerima"].astype(str)
        + "|"
        + key["tanggal"].astype(str)
        + "|"
        + key["nip_pembimbing"].astype(str)
    )


def _over_monthly_cap(live: pd.DataFrame, profile: Profile) -> tuple[pd.DataFrame, pd.Series]:
    caps = {k: a.max_per_month for k, a in profile.activities.items() if a.max_per_month is not None}
    limit = live["activity"].astype(object).map(caps).astype("float64")
    capped = live[limit.notna()].assign(_limit=limit[limit.notna()], _month=live["tanggal"].dt.to_period("M"))
    capped = capped.sort_values(["nip_penerima", "activity", "_month", "tanggal", "uid"], kind="stable")
    rank = capped.groupby(["nip_penerima", "activity", "_month"], sort=False).cumcount()
    over = capped[rank >= capped["_limit"]]
    return over.drop(columns=["_limit", "_month"]), over["_limit"].astype(int).astype(str)


def activity_table(profile: Profile) -> pd.DataFrame:
    """One row per activity with its conversion parameters (NaN where the profile leaves one out)."""
    rows = []
    for key, a in profile.activities.items():
        multiplier = a.international_multiplier if a.international_multiplier is not None else np.nan
        jp_int = a.jp_international
        if jp_int is None and a.jp_national is not None and a.international_multiplier is not None:
            jp_int = a.jp_national * a.international_multiplier
        rows.append(
            {
                "activity": key,
                "unit": a.unit,
                "jp_nat": a.jp_national,
                "jp_int": jp_int,
                "multiplier": multiplier,
                "cap_nat": a.max_jp_per_day,
                "cap_int": a.max_jp_per_day_international,
                "label": a.label,
                "kartu": a.kartu_column,
            }
        )
    return pd.DataFrame(rows).set_index("activity")


def activity_days(acts: pd.DataFrame) -> pd.Series:
    """Jumlah Hari when given, else the inclusive span of Tanggal Mulai..Selesai, else 1."""
    span = (acts["tanggal_selesai"] - acts["tanggal"]).dt.days + 1
    span = span.where(span.ge(1))
    given = acts["jumlah_hari"].where(acts["jumlah_hari"].gt(0))
    return given.fillna(span).fillna(1.0).astype("float64")


def convert_jp(acts: pd.DataFrame, profile: Profile) -> pd.Series:
    """JP of each row as if counted, by its activity's unit and scale (SPEC §2)."""
    params = activity_table(profile).reindex(acts["activity"].astype(object)).reset_index(drop=True)
    params.index = acts.index
    intl = acts["skala"].eq("Internasional").to_numpy()
    days = activity_days(acts)
    fixed = pd.Series(np.where(intl, params["jp_int"], params["jp_nat"]), index=acts.index, dtype="float64")
    per_day = fixed * days
    has_intl_cap = params["cap_int"].notna().to_numpy()
    cap = (
        pd.Series(np.where(intl & has_intl_cap, params["cap_int"], params["cap_nat"]), index=acts.index)
        * days
    )
    programme = acts["jp_program"].where(acts["jp_program"].ge(0))
    capped = programme.where(cap.isna(), np.fmin(programme, cap)).fillna(cap)
    multiplier = pd.Series(
        np.where(intl & ~has_intl_cap, params["multiplier"].fillna(1.0), 1.0),
        index=acts.index,
        dtype="float64",
    )
    jp = np.select(
        [
            params["unit"].isin(["sesi", "kegiatan", "semester"]),
            params["unit"].eq("hari"),
            params["unit"].eq("program"),
        ],
        [fixed, per_day, capped * multiplier],
        default=0.0,
    )
    return pd.Series(jp, index=acts.index, dtype="float64").fillna(0.0).round(2)


def reconciliation(acts: pd.DataFrame) -> dict[str, int]:
    counts = acts["status"].value_counts()
    out = {"rows_read": len(acts)}
    out.update({key: int(counts.get(status, 0)) for status, key in STATUS_KEYS.items()})
    return out
