"""Stage 5b: the output tables, built from the computed rows. Pure DataFrame functions; headers are exact."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import layout
from pipeline.frames import is_in, row_keys
from pipeline.normalise import Batch, asn_status
from pipeline.profiles import KARTU_COLUMNS, SESSION_ACTIVITIES, Profile
from pipeline.terms import (
    BELUM,
    DIHITUNG,
    DITOLAK,
    MELEBIHI,
    NOT_APPLICABLE_PPPK,
    TERPENUHI,
    UNKNOWN_JENIS,
    UNKNOWN_OPD,
)
from schemas.tables import check_tables

MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass
class Tables:
    rekap_pegawai: pd.DataFrame
    rekap_bulanan: pd.DataFrame
    rekap_opd: pd.DataFrame
    detail: pd.DataFrame
    evaluasi_coach: pd.DataFrame
    penilaian_mentor: pd.DataFrame
    sertifikat: pd.DataFrame
    kartu: pd.DataFrame
    capaian_opd: pd.DataFrame
    belum: pd.DataFrame
    indikator: pd.DataFrame
    jp_distribution: pd.DataFrame
    sessions_per_month: pd.DataFrame
    perubahan: pd.DataFrame | None = None  # only when an earlier run of the year is in the output folder


def build_tables(
    batch: Batch, acts: pd.DataFrame, eval_status: pd.DataFrame, profile: Profile, year: int
) -> Tables:
    people = employees(acts, batch.roster)
    per_person = person_totals(acts, people, profile)
    opd = rekap_opd(per_person)
    tables = Tables(
        rekap_pegawai=rekap_pegawai(per_person),
        rekap_bulanan=rekap_bulanan(acts, per_person),
        rekap_opd=opd,
        detail=detail(acts, profile),
        evaluasi_coach=evaluasi_coach(acts, batch.evaluations, eval_status),
        penilaian_mentor=penilaian_mentor(acts, batch.assessments, eval_status),
        sertifikat=sertifikat(acts, per_person, profile, year),
        kartu=kartu(per_person),
        capaian_opd=opd[["Perangkat Daerah", "Jumlah Pegawai", "Memenuhi 20 JP", "Persentase Memenuhi"]],
        belum=belum(per_person),
        indikator=indikator(per_person, profile, batch.roster),
        jp_distribution=jp_distribution(per_person, profile.yearly_target_jp),
        sessions_per_month=sessions_per_month(acts),
    )
    check_tables(tables)
    return tables


def employees(acts: pd.DataFrame, roster: pd.DataFrame | None) -> pd.DataFrame:
    """The workforce: the roster's active employees (when given), then every recipient of a non-rejected row
    not on it. An employee the roster lists as not active (KEDUDUKAN HUKUM) is not counted, sessions or not:
    ROSTER_INACTIVE names each one. Pangkat and jabatan: the roster's, else the latest session's."""
    columns = ["nip", "nama", "opd", "jenis_jabatan", "pangkat", "jabatan"]
    fields = ["uid", "nip_penerima", "nama_penerima", "opd", "pangkat_penerima_text", "jabatan_penerima"]
    seen = acts.loc[acts["status"].ne(DITOLAK) & acts["nip_penerima"].notna(), fields].sort_values("uid")
    recipients = seen.rename(
        columns={"nip_penerima": "nip", "nama_penerima": "nama", "pangkat_penerima_text": "pangkat",
                 "jabatan_penerima": "jabatan"}
    )  # fmt: skip
    recipients["jenis_jabatan"] = pd.Series(pd.NA, index=recipients.index, dtype="string")
    latest = recipients.iloc[::-1].groupby("nip")[["pangkat", "jabatan"]].first()
    recipients = recipients[columns].drop_duplicates("nip")
    recipients[["pangkat", "jabatan"]] = latest.reindex(recipients["nip"]).to_numpy()
    if roster is None:
        return recipients.reset_index(drop=True)
    known = roster.dropna(subset=["nip"]).drop_duplicates("nip").rename(columns={"pangkat_text": "pangkat"})
    listed = known[known["aktif"]][columns].reset_index(drop=True)
    for column in ("pangkat", "jabatan"):
        listed[column] = listed[column].astype("string").fillna(listed["nip"].map(latest[column]))
    extra = recipients[~is_in(recipients["nip"], known["nip"])]
    return pd.concat([listed, extra], ignore_index=True)


def person_totals(acts: pd.DataFrame, people: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    # Only the columns read here: a boolean filter copies every column it keeps (1M rows: 500 MB a copy).
    valid = acts.loc[acts["status"].isin([DIHITUNG, MELEBIHI]), ["nip_penerima", "activity", "status", "jp"]]
    counted = valid[valid["status"].eq(DIHITUNG)]
    kartu_of = pd.Series({k: a.kartu_column for k, a in profile.activities.items()})
    grouped = {
        "coaching_reported": valid[valid["activity"].eq("coaching")].groupby("nip_penerima").size(),
        "coaching_counted": counted[counted["activity"].eq("coaching")].groupby("nip_penerima").size(),
        "mentoring_reported": valid[valid["activity"].eq("mentoring")].groupby("nip_penerima").size(),
        "mentoring_counted": counted[counted["activity"].eq("mentoring")].groupby("nip_penerima").size(),
    }
    by_column = counted.assign(kartu=counted["activity"].map(kartu_of)).pivot_table(
        index="nip_penerima", columns="kartu", values="jp", aggfunc="sum"
    )
    out = people.copy()
    for name, series in grouped.items():
        out[name] = out["nip"].map(series).fillna(0).astype("int64")
    for column in KARTU_COLUMNS:
        source = by_column[column] if column in by_column.columns else pd.Series(dtype="float64")
        out[column] = out["nip"].map(source).fillna(0.0).astype("float64").round(2)
    out["jp_lain"] = (
        out[[c for c in KARTU_COLUMNS if c not in ("Coaching", "Mentoring")]].sum(axis=1).round(2)
    )
    out["jp_total"] = (out["Coaching"] + out["Mentoring"] + out["jp_lain"]).round(2)
    target = profile.yearly_target_jp
    out["status20"] = status_20jp(out["jp_total"], target)
    out["kekurangan"] = (target - out["jp_total"]).clip(lower=0).round(2)
    out["opd"] = out["opd"].fillna(UNKNOWN_OPD)
    out["nama"] = out["nama"].fillna("")
    return out.sort_values(["opd", "nama", "nip"], kind="stable", ignore_index=True)


def status_20jp(jp: pd.Series, target: float) -> pd.Series:
    """Terpenuhi from exactly the yearly target on, else Belum Terpenuhi."""
    return pd.Series(np.where(jp >= target, TERPENUHI, BELUM), index=jp.index, dtype=object)


def rekap_pegawai(p: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "NIP": p["nip"].astype("string"),
            "Nama": p["nama"],
            "Perangkat Daerah": p["opd"],
            "Sesi Coaching Dilaporkan": p["coaching_reported"],
            "Sesi Coaching Dihitung": p["coaching_counted"],
            "JP Coaching": p["Coaching"],
            "Sesi Mentoring Dilaporkan": p["mentoring_reported"],
            "Sesi Mentoring Dihitung": p["mentoring_counted"],
            "JP Mentoring": p["Mentoring"],
            "JP Pengembangan Lain": p["jp_lain"],
            "JP Total": p["jp_total"],
            "Status 20 JP": pd.Series(p["status20"], dtype="string"),
            "Kekurangan JP": p["kekurangan"],
        }
    )


def rekap_bulanan(acts: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    counted = acts.loc[acts["status"].eq(DIHITUNG), ["nip_penerima", "tanggal", "jp"]]
    monthly = counted.assign(m=counted["tanggal"].dt.month).pivot_table(
        index="nip_penerima", columns="m", values="jp", aggfunc="sum"
    )
    out = pd.DataFrame({"NIP": p["nip"].astype("string"), "Nama": p["nama"], "Perangkat Daerah": p["opd"]})
    for number, label in enumerate(MONTHS_ID, start=1):
        source = monthly[number] if number in monthly.columns else pd.Series(dtype="float64")
        out[label] = p["nip"].map(source).fillna(0.0).round(2)
    out["Total"] = out[list(MONTHS_ID)].sum(axis=1).round(2)
    return out


def rekap_opd(p: pd.DataFrame) -> pd.DataFrame:
    sessions = p["coaching_counted"] + p["mentoring_counted"]
    g = p.assign(ikut=sessions.gt(0), sesi=sessions, met=p["status20"].eq(TERPENUHI)).groupby(
        "opd", sort=True
    )
    out = pd.DataFrame(
        {
            "Jumlah Pegawai": g.size(),
            "Pegawai Ikut Coaching/Mentoring": g["ikut"].sum(),
            "Sesi Dihitung": g["sesi"].sum(),
            "JP Total": g["jp_total"].sum().round(2),
            "Memenuhi 20 JP": g["met"].sum(),
        }
    )
    # a fraction (0.75), shown with Excel's percent format as 75.00%
    out["Persentase Memenuhi"] = (out["Memenuhi 20 JP"] / out["Jumlah Pegawai"]).round(4)
    return out.rename_axis("Perangkat Daerah").reset_index()


def activity_labels(acts: pd.DataFrame, profile: Profile) -> pd.Series:
    labels = pd.Series({k: a.label for k, a in profile.activities.items()})
    named = acts["activity"].map(labels)
    kind_label = acts["kind"].map({layout.COACHING: "Coaching", layout.MENTORING: "Mentoring"})
    return named.fillna(kind_label).fillna(acts["jenis_text"]).fillna("Pengembangan Lain").astype("string")


def detail(acts: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": acts["uid"],
            "File": acts["file"],
            "Sheet": acts["sheet"],
            "Baris": acts["row"],
            "Perangkat Daerah": acts["opd"],
            "Jenis": activity_labels(acts, profile),
            "Tanggal": acts["tanggal"],
            "Tanggal (teks)": acts["tanggal_text"],
            "NIP Penerima": acts["nip_penerima"].fillna(acts["nip_penerima_text"]),
            "Nama Penerima": acts["nama_penerima"],
            "NIP Pembimbing": acts["nip_pembimbing"].fillna(acts["nip_pembimbing_text"]),
            "Nama Pembimbing": acts["nama_pembimbing"],
            "Skala": acts["skala"],
            "Status": acts["status"],
            "Keterangan": acts["keterangan_status"],
            "JP": acts["jp"],
        }
    )


DETAIL_COLUMNS = [
    "ID",
    "File",
    "Sheet",
    "Baris",
    "Perangkat Daerah",
    "Jenis",
    "Tanggal",
    "NIP Penerima",
    "Nama Penerima",
    "NIP Pembimbing",
    "Nama Pembimbing",
    "Skala",
    "Status",
    "Keterangan",
    "JP",
]


def _giver_names(acts: pd.DataFrame, activity: str) -> pd.Series:
    giving = acts["activity"].eq(activity) & acts["nip_pembimbing"].notna()
    rows = acts.loc[giving, ["uid", "nip_pembimbing", "nama_pembimbing"]].sort_values("uid")
    return rows.drop_duplicates("nip_pembimbing").set_index("nip_pembimbing")["nama_pembimbing"]


def _pair_key(frame: pd.DataFrame, with_date: bool) -> pd.Series:
    return row_keys(frame, ["nip_penerima", "nip_pembimbing", *(["tanggal"] if with_date else [])])


def _per_giver(
    acts: pd.DataFrame, forms: pd.DataFrame, eval_status: pd.DataFrame, activity: str, role: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(valid sessions, accepted evaluation rows, one row per coach/mentor with name and session count)."""
    valid = acts["activity"].eq(activity) & acts["status"].isin([DIHITUNG, MELEBIHI])
    sessions = acts.loc[valid, ["nip_penerima", "nip_pembimbing", "tanggal"]]
    accepted = (
        forms[forms["uid"].isin(eval_status.loc[eval_status["accepted"], "uid"])] if len(forms) else forms
    )
    givers = set(sessions["nip_pembimbing"].dropna().unique()) | set(
        accepted.get("nip_pembimbing", pd.Series()).dropna().unique()
    )
    out = pd.DataFrame({f"NIP {role}": pd.Series(sorted(givers), dtype="string")})
    out[f"Nama {role}"] = out[f"NIP {role}"].map(_giver_names(acts, activity)).fillna("")
    per_giver = sessions.groupby("nip_pembimbing").size()
    out["Jumlah Sesi"] = out[f"NIP {role}"].map(per_giver).fillna(0).astype("int64")
    return sessions, accepted, out


def evaluasi_coach(acts: pd.DataFrame, evals: pd.DataFrame, eval_status: pd.DataFrame) -> pd.DataFrame:
    sessions, accepted, out = _per_giver(acts, evals, eval_status, "coaching", "Coach")
    scores = list(layout.SCORE_FIELDS)
    evaluated = set(_pair_key(accepted, True).to_numpy()) if len(accepted) else set()
    no_eval = sessions[~_pair_key(sessions, True).isin(evaluated)].groupby("nip_pembimbing").size()
    counts = accepted.groupby("nip_pembimbing").size() if len(accepted) else pd.Series(dtype="int64")
    out["Jumlah Evaluasi"] = out["NIP Coach"].map(counts).fillna(0).astype("int64")
    out["Sesi Tanpa Evaluasi"] = out["NIP Coach"].map(no_eval).fillna(0).astype("int64")
    means = (
        accepted.groupby("nip_pembimbing")[scores].mean() if len(accepted) else pd.DataFrame(columns=scores)
    )
    for score in scores:
        out[score.upper()] = out["NIP Coach"].map(means[score]).astype("float64").round(2)
    out["Rata-rata"] = out[[s.upper() for s in scores]].mean(axis=1).round(2)
    return out


def penilaian_mentor(
    acts: pd.DataFrame, assessments: pd.DataFrame, eval_status: pd.DataFrame
) -> pd.DataFrame:
    sessions, accepted, out = _per_giver(acts, assessments, eval_status, "mentoring", "Mentor")
    assessed = set(_pair_key(accepted, False).to_numpy()) if len(accepted) else set()
    pairs = sessions.drop_duplicates(["nip_penerima", "nip_pembimbing"])
    unassessed = pairs[~_pair_key(pairs, False).isin(assessed)].groupby("nip_pembimbing").size()
    for level in layout.PENILAIAN_LEVELS:
        hits: pd.Series | dict[str, int] = (
            accepted[accepted["penilaian"].eq(level)].groupby("nip_pembimbing").size()
            if len(accepted)
            else {}
        )
        out[level] = out["NIP Mentor"].map(hits).fillna(0).astype("int64")
    out["Jumlah Penilaian"] = out[list(layout.PENILAIAN_LEVELS)].sum(axis=1)
    out["Mentee Tanpa Penilaian"] = out["NIP Mentor"].map(unassessed).fillna(0).astype("int64")
    return out


def sertifikat(acts: pd.DataFrame, p: pd.DataFrame, profile: Profile, year: int) -> pd.DataFrame:
    """One certificate per employee per session activity (coaching, mentoring) with a counted session: the
    ones BKPSDM issues; seminars and e-learning certify through their organisers."""
    counted = acts["status"].eq(DIHITUNG) & acts["activity"].isin(list(SESSION_ACTIVITIES))
    g = acts.loc[counted, ["nip_penerima", "activity", "jp", "tanggal"]].groupby(
        ["nip_penerima", "activity"], sort=True
    )
    out = pd.DataFrame(
        {
            "sesi": g.size(),
            "jp": g["jp"].sum().round(2),
            "start": g["tanggal"].min(),
            "end": g["tanggal"].max(),
        }
    ).reset_index()
    people = p.set_index("nip")
    labels = pd.Series({k: a.label for k, a in profile.activities.items()})
    code = out["activity"].str.upper().str.replace("_", "-", regex=False)
    nips = out["nip_penerima"]
    return pd.DataFrame(
        {
            "No Sertifikat": f"{year}/" + code + "/" + nips,
            "NIP": nips.astype("string"),
            "Nama": nips.map(people["nama"]),
            "Perangkat Daerah": nips.map(people["opd"]),
            "Kegiatan": out["activity"].map(labels),
            "Jumlah Sesi": out["sesi"],
            "JP": out["jp"],
            "Periode": out["start"].dt.strftime("%d/%m/%Y") + " s.d. " + out["end"].dt.strftime("%d/%m/%Y"),
            "Pangkat/Gol": nips.map(people["pangkat"]).astype("string"),
            "Jabatan": nips.map(people["jabatan"]).astype("string"),
        }
    )


def kartu(p: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "No": np.arange(1, len(p) + 1),
            "NIP": p["nip"].astype("string"),
            "Nama": p["nama"],
            "Perangkat Daerah": p["opd"],
        }
    )
    for column in KARTU_COLUMNS:
        out[column] = p[column]
    out["Total JP"] = p["jp_total"]
    out["Status 20 JP"] = p["status20"]
    return out


def belum(p: pd.DataFrame) -> pd.DataFrame:
    short = p[p["status20"].eq(BELUM)].sort_values(
        ["opd", "kekurangan", "nama"], ascending=[True, False, True]
    )
    return pd.DataFrame(
        {
            "Perangkat Daerah": short["opd"],
            "NIP": short["nip"].astype("string"),
            "Nama": short["nama"],
            "JP Total": short["jp_total"],
            "Kekurangan JP": short["kekurangan"],
        }
    ).reset_index(drop=True)


def indikator(p: pd.DataFrame, profile: Profile, roster: pd.DataFrame | None = None) -> pd.DataFrame:
    """Peraturan BKN 8/2019 measures the IP ASN of PNS: a PPPK row says so and carries no number."""
    scores = pd.Series(profile.indicator_scores())
    value = p["jenis_jabatan"].astype(object).map(scores).astype("float64")
    value = value.where(p["status20"].eq(TERPENUHI), 0.0).where(p["jenis_jabatan"].notna())
    pppk = asn_status(p["nip"], roster).eq("PPPK").to_numpy()
    shown = value.astype(object).where(~pppk, NOT_APPLICABLE_PPPK)
    return pd.DataFrame(
        {
            "NIP": p["nip"].astype("string"),
            "Nama": p["nama"],
            "Perangkat Daerah": p["opd"],
            "Jenis Jabatan": p["jenis_jabatan"].fillna(UNKNOWN_JENIS),
            "JP Total": p["jp_total"],
            "Nilai Indikator 20 JP": shown,
        }
    )


@dataclass(frozen=True)
class WorkforceGaps:
    """What the roster could not say about the workforce, for a Peringatan and the summary table."""

    no_opd: int  # employees counted under UNKNOWN_OPD
    no_jenis: int  # PNS without a known jenis jabatan: their Nilai Indikator 20 JP is empty
    no_jenis_off_roster: int  # of those, recipients the roster does not list (or no roster at all)


def workforce_gaps(indikator: pd.DataFrame, roster: pd.DataFrame | None) -> WorkforceGaps:
    value = indikator["Nilai Indikator 20 JP"]
    empty = pd.to_numeric(value, errors="coerce").isna() & value.ne(NOT_APPLICABLE_PPPK)
    listed = pd.Index([] if roster is None else roster["nip"].dropna())
    return WorkforceGaps(
        no_opd=int(indikator["Perangkat Daerah"].eq(UNKNOWN_OPD).sum()),
        no_jenis=int(empty.sum()),
        no_jenis_off_roster=int((empty & ~is_in(indikator["NIP"], listed)).sum()),
    )


def jp_bins(target: float) -> list[tuple[float, float, str]]:
    """[low, high) ranges of JP Total around the profile's yearly target t: 0, under t/2, t/2 to t, t to 2t,
    2t and more (t = 20: 0 · 1-9 · 10-19 · 20-39 · >= 40 JP)."""
    half, double = target / 2, target * 2

    def whole(x: float) -> str:
        return f"{x:g}"

    return [
        (0.0, 1e-9, "0 JP"),
        (1e-9, half, f"1-{whole(half - 1)} JP"),
        (half, target, f"{whole(half)}-{whole(target - 1)} JP"),
        (target, double, f"{whole(target)}-{whole(double - 1)} JP"),
        (double, np.inf, f">= {whole(double)} JP"),
    ]


def jp_distribution(p: pd.DataFrame, target: float) -> pd.DataFrame:
    bins = jp_bins(target)
    counts = [int((p["jp_total"].ge(low) & p["jp_total"].lt(high)).sum()) for low, high, _ in bins]
    return pd.DataFrame({"Rentang JP": [label for *_, label in bins], "Jumlah Pegawai": counts})


def sessions_per_month(acts: pd.DataFrame) -> pd.DataFrame:
    mask = acts["status"].eq(DIHITUNG) & acts["activity"].isin(list(SESSION_ACTIVITIES))
    counted = acts.loc[mask, ["uid", "activity", "tanggal"]]
    table = counted.assign(m=counted["tanggal"].dt.month).pivot_table(
        index="m", columns="activity", values="uid", aggfunc="count"
    )
    table = table.reindex(index=range(1, 13), columns=["coaching", "mentoring"]).fillna(0).astype("int64")
    return pd.DataFrame(
        {
            "Bulan": list(MONTHS_ID),
            "Coaching": table["coaching"].to_numpy(),
            "Mentoring": table["mentoring"].to_numpy(),
        }
    )
