"""Stage 5: every activity row gets exactly one status and its JP (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import revisions
from pipeline.findings import REJECTING_CODES, cell_findings, concat_findings, places_by, title_of
from pipeline.frames import is_in, row_keys
from pipeline.normalise import Batch
from pipeline.profiles import Profile
from pipeline.terms import (
    DIGANTI,
    DIHITUNG,
    DITERIMA,
    DITOLAK,
    DUPLIKAT,
    EVALUATION_KEYS,
    LUAR_PERIODE,
    MELEBIHI,
    REPORT_ORDER,
    STATUS_KEYS,
)
from pipeline.validate import with_activities
from schemas import SESSION_SCHEMA

DEDUP_KEY = ["activity", "nip_penerima", "tanggal", "nip_pembimbing"]
EVALUATION_KEY = ["kind", "nip_penerima", "tanggal", "nip_pembimbing"]
# What the duplicate and monthly-cap checks read: the key, the row's place and the date as typed (findings).
LIVE_FIELDS = list(dict.fromkeys([*DEDUP_KEY, "uid", "file", "sheet", "row", "tanggal_text"]))


@dataclass(frozen=True)
class Computed:
    """The compute stage's result: every row with its status, and every finding of the run."""

    activities: pd.DataFrame  # the normalised rows + activity, status, keterangan_status, jp
    evaluations: pd.DataFrame  # uid, status, accepted of every Evaluasi Coaching / Penilaian Mentor row
    findings: pd.DataFrame  # FINDING_COLUMNS: file-level, validation and status findings
    replaced: pd.DataFrame  # older versions: file, replaced_by, rule, final, covered, kinds, kept
    counts: dict[str, int]  # rows_read and one count per status (SPEC §5.6): the manifest's reconciliation
    evaluation_counts: dict[str, int]  # rows_read, accepted, rejected, duplicate, superseded


def compute(batch: Batch, findings: pd.DataFrame, profile: Profile, year: int) -> Computed:
    """SPEC §5 in order: revisions, rejected, out of period, duplicates, monthly cap, JP."""
    acts = with_activities(batch.activities, profile)
    kinds = revisions.sheet_kinds(batch.layout)
    periods = revisions.file_periods(batch.submissions, acts, year, kinds)
    replaced = revisions.resolve(batch.submissions, session_keys(acts), periods)
    acts, status_findings = assign_status(acts, findings, profile, year, replaced)
    evaluations, eval_findings = evaluation_status([batch.evaluations, batch.assessments], findings, replaced)
    replaced = replaced.assign(kept=revisions.still_counting(acts, replaced, acts["status"].eq(DIGANTI)))
    row_findings = current(concat_findings([findings, status_findings, eval_findings]), [acts, evaluations])
    every = [pd.DataFrame(batch.file_findings), revisions.superseded_findings(replaced), row_findings]
    return Computed(
        acts,
        evaluations,
        concat_findings(every),
        replaced,
        reconciliation(acts),
        evaluation_counts(evaluations),
    )


def current(row_findings: pd.DataFrame, decided: list[pd.DataFrame]) -> pd.DataFrame:
    """The row findings without those of rows a revision replaced: they were fixed (or not) in the revision,
    whose own findings count. `decided`: frames with uid and status."""
    gone = np.concatenate([f.loc[f["status"].eq(DIGANTI), "uid"].to_numpy() for f in decided])
    return row_findings[~row_findings["uid"].isin(gone)]


def assign_status(
    acts: pd.DataFrame,
    findings: pd.DataFrame,
    profile: Profile,
    year: int,
    replaced: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Status and Keterangan for every row, in the order of SPEC §5; returns the rows and the new findings.

    `replaced` is the output of `revisions.resolve`: the rows of those files in the months their newer
    versions cover are Diganti Revisi.
    """
    status = pd.Series(pd.NA, index=acts.index, dtype="string")
    note = pd.Series(pd.NA, index=acts.index, dtype="string")
    status, note = _superseded(acts, status, note, replaced)
    status, note = _rejected(acts, status, note, findings)

    out = status.isna() & ~acts["tanggal"].dt.year.eq(year)
    status, note = status.mask(out, LUAR_PERIODE), note.mask(out, f"Di luar tahun {year}")
    oop = acts[out]
    parts = [
        cell_findings(oop, "tanggal", "DATE_OUT_OF_PERIOD", oop["tanggal"].dt.strftime("%d/%m/%Y"), year)
    ]

    # the duplicate and cap checks read few columns: a filter of all of them copied every row (1M: ~500 MB)
    dup_rows, dup_where = duplicates(acts.loc[status.isna(), LIVE_FIELDS], DEDUP_KEY)
    status = status.mask(status.index.isin(dup_rows.index), DUPLIKAT)
    note.loc[dup_rows.index] = ("Duplikat dari " + dup_where).to_numpy()
    parts.append(cell_findings(dup_rows, "tanggal", "DUPLICATE_SESSION", dup_rows["tanggal_text"], dup_where))

    capped_rows, cap_of, counted = _over_monthly_cap(acts.loc[status.isna(), LIVE_FIELDS], profile)
    status = status.mask(status.index.isin(capped_rows.index), MELEBIHI)
    note.loc[capped_rows.index] = ("Melebihi batas " + cap_of + " sesi per bulan").to_numpy()
    detail = cap_of + " sesi per bulan untuk penerima ini; yang dihitung pada bulan itu: " + counted
    parts.append(cell_findings(capped_rows, "tanggal", "MONTHLY_CAP", capped_rows["tanggal_text"], detail))

    result = acts.assign(status=status.fillna(DIHITUNG), keterangan_status=note.fillna(""))
    result = result.assign(jp=convert_jp(result, profile).where(result["status"].eq(DIHITUNG), 0.0))
    SESSION_SCHEMA.validate(result)
    return result, concat_findings(parts)


def _superseded(
    rows: pd.DataFrame, status: pd.Series, note: pd.Series, replaced: pd.DataFrame | None
) -> tuple[pd.Series, pd.Series]:
    if replaced is None or not len(replaced):
        return status, note
    by = rows["file"].map(replaced.set_index("file")["replaced_by"]).astype("string")
    hit = revisions.replaced_rows(rows, replaced)
    return status.mask(hit, DIGANTI), note.mask(hit, "Diganti revisi: " + by)


def _rejected(
    rows: pd.DataFrame, status: pd.Series, note: pd.Series, findings: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    rejecting = findings[findings["uid"].ge(0) & findings["code"].isin(REJECTING_CODES)]
    reasons = rejecting.groupby("uid")["code"].agg(
        lambda codes: ", ".join(map(title_of, dict.fromkeys(codes)))
    )
    hit = status.isna() & rows["uid"].isin(reasons.index)
    return status.mask(hit, DITOLAK), note.mask(hit, "Ditolak: " + rows["uid"].map(reasons).astype("string"))


def duplicates(live: pd.DataFrame, key_fields: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Rows whose key was already seen (first by file, sheet, row stays) and where the first one is."""
    key = live[key_fields].assign(nip_pembimbing=live["nip_pembimbing"].fillna(""))
    dup = key.duplicated(keep="first").to_numpy()
    keys = row_keys(key, key_fields)
    again = keys[dup]
    firsts = ~dup & is_in(keys, again).to_numpy()  # only the first rows someone repeats need their place
    first = live.loc[firsts]
    where = (
        first["file"].astype("string")
        + ", sheet "
        + first["sheet"].astype("string")
        + ", baris "
        + first["row"].astype("string")
    )
    return live[dup], again.map(where.set_axis(keys[firsts]))


def session_keys(rows: pd.DataFrame) -> pd.DataFrame:
    """file and duplicate key (SPEC §4) of every row that has one: what tells two versions of a file apart."""
    usable = rows.loc[rows["nip_penerima"].notna() & rows["tanggal"].notna(), ["file", *DEDUP_KEY]]
    key = usable[DEDUP_KEY].assign(nip_pembimbing=usable["nip_pembimbing"].fillna(""))
    return pd.DataFrame({"file": usable["file"], "key": row_keys(key, DEDUP_KEY)})


CAP_GROUP = ["nip_penerima", "activity", "_month"]


def _over_monthly_cap(live: pd.DataFrame, profile: Profile) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The rows past their month's cap, the cap of each, and where the rows counted in that month are."""
    caps = {k: a.max_per_month for k, a in profile.activities.items() if a.max_per_month is not None}
    limit = live["activity"].astype(object).map(caps).astype("float64")
    capped = live[limit.notna()].assign(_limit=limit[limit.notna()], _month=live["tanggal"].dt.to_period("M"))
    capped = capped.sort_values([*CAP_GROUP, "tanggal", "uid"], kind="stable")
    rank = capped.groupby(CAP_GROUP, sort=False).cumcount()
    over = capped[rank >= capped["_limit"]]
    counted = capped[rank < capped["_limit"]].merge(over[CAP_GROUP].drop_duplicates(), on=CAP_GROUP)
    places = places_by(counted, CAP_GROUP)
    where = pd.Series(
        [places[key] for key in zip(*(over[c] for c in CAP_GROUP), strict=True)],
        index=over.index,
        dtype=object,
    )
    return over.drop(columns=["_limit", "_month"]), over["_limit"].astype(int).astype(str), where


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
        pd.Series(
            np.where(intl & has_intl_cap, params["cap_int"], params["cap_nat"]),
            index=acts.index,
            dtype="float64",
        )
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
    """rows_read and one count per status, in the report order (SPEC §5.6)."""
    counts = acts["status"].value_counts()
    out = {"rows_read": len(acts)}
    out.update({STATUS_KEYS[status]: int(counts.get(status, 0)) for status in REPORT_ORDER})
    return out


def evaluation_status(
    forms: list[pd.DataFrame], findings: pd.DataFrame, replaced: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """uid, status, accepted of every evaluation/assessment row, and DUPLICATE_SESSION findings.

    Same order as sessions: an older version's rows are Diganti Revisi, rows with a Kesalahan Ditolak, a
    row whose (form, recipient, date, giver) was already seen Duplikat; the rest Diterima.
    """
    rows = pd.concat([f for f in forms if len(f)] or [forms[0]], ignore_index=True)
    status = pd.Series(pd.NA, index=rows.index, dtype="string")
    note = pd.Series(pd.NA, index=rows.index, dtype="string")
    status, note = _superseded(rows, status, note, replaced)
    status, note = _rejected(rows, status, note, findings)
    dup_rows, dup_where = (
        duplicates(rows[status.isna()], EVALUATION_KEY) if len(rows) else (rows, pd.Series(dtype="string"))
    )
    status = status.mask(status.index.isin(dup_rows.index), DUPLIKAT).fillna(DITERIMA)
    found = cell_findings(dup_rows, "tanggal", "DUPLICATE_SESSION", dup_rows["tanggal_text"], dup_where)
    out = pd.DataFrame({"uid": rows["uid"].to_numpy(), "status": status.to_numpy()})
    return out.assign(accepted=out["status"].eq(DITERIMA)), found


def evaluation_counts(status: pd.DataFrame) -> dict[str, int]:
    """rows_read and one count per evaluation status (read = accepted + rejected + duplicate + superseded)."""
    counts = status["status"].value_counts()
    out = {"rows_read": len(status)}
    out.update({key: int(counts.get(name, 0)) for name, key in EVALUATION_KEYS.items()})
    return out
