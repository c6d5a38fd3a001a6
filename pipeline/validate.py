"""Stage 4: domain checks on the typed tables. Every check returns findings; none prints or raises."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipeline import layout
from pipeline.findings import FINDING_COLUMNS, cell_findings, concat_findings, empty_findings, file_finding
from pipeline.frames import is_in
from pipeline.normalise import (
    READING_EMPTY,
    READING_TEXT,
    READING_UNCLEAR,
    UNKNOWN_SOURCE,
    Batch,
    asn_status,
    name_key,
    pppk_nip,
)
from pipeline.periods import parse_period, say_dates
from pipeline.profiles import SESSION_ACTIVITIES, Profile
from pipeline.roster import unmapped
from pipeline.textnorm import clean_scalar
from schemas import failure_findings, nip_text_schema, score_schema

SESSION_KINDS = (layout.COACHING, layout.MENTORING)


def validate(batch: Batch, profile: Profile, year: int, today: dt.date) -> pd.DataFrame:
    """All row-level findings of the run (file-level findings come from reading)."""
    acts = with_activities(batch.activities, profile)
    roster_nips = _roster_nips(batch)
    parts = [
        *check_required(acts, layout.REQUIRED_FIELDS),
        *check_nips(acts, ("nip_penerima", "nip_pembimbing"), year, today),
        *check_dates(acts, ("tanggal", "tanggal_selesai"), today),
        check_same_person(acts),
        check_unknown_activity(acts, profile),
        check_programme_jp(acts, profile),
        *check_amounts(acts),
        *check_grades(acts),
        check_mentor_junior(acts),
        check_evidence(acts),
        check_late_report(acts, profile, batch.layout, year),
        check_period(batch.submissions, year),
    ]
    if roster_nips is not None:
        parts += check_not_in_roster(acts, roster_nips)
    if profile.session_recipients_pns_only:
        parts.append(check_pppk_recipient(acts, batch.roster))
    parts.append(check_name_mismatch(acts, batch.roster))
    parts = [propose_nips(concat_findings(parts), acts, batch.roster)]
    for frame, kind in ((batch.evaluations, layout.EVALUASI), (batch.assessments, layout.PENILAIAN)):
        if len(frame):
            parts += check_required(frame, {kind: layout.REQUIRED_FIELDS[kind]})
            parts += check_nips(frame, ("nip_penerima", "nip_pembimbing"), year, today)
            parts += check_dates(frame, ("tanggal",), today)
    if len(batch.evaluations):
        parts.append(check_scores(batch.evaluations))
    if len(batch.assessments):
        parts.append(check_assessment(batch.assessments))
    if batch.roster is not None and len(batch.roster):
        parts += check_nips(batch.roster, ("nip",), year, today, structure=False)
        parts += check_roster(batch.roster)
    parts += check_opd_names(batch)
    return concat_findings(parts)


def with_activities(acts: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """The activities with their profile key in `activity`; a run resolves it once (pipeline.run), a frame
    that already carries it is returned as it is."""
    return acts if "activity" in acts.columns else acts.assign(activity=resolve_activity(acts, profile))


def resolve_activity(acts: pd.DataFrame, profile: Profile) -> pd.Series:
    """Activity key per row: coaching/mentoring from the sheet, the profile's key from Jenis Kegiatan."""
    names = acts["jenis_text"].astype(object)
    keys = {text: profile.activity_for(text) for text in names.dropna().unique()}
    lookup = names.map(keys).astype(object).astype("string")
    lookup = lookup.where(~lookup.isin(list(SESSION_ACTIVITIES)))
    return acts["kind"].where(acts["kind"].isin(SESSION_KINDS), lookup).astype("string")


UNITS_LISTED = 30  # an UNIT_UNMAPPED message names this many units, then says how many more


def check_roster(roster: pd.DataFrame) -> list[pd.DataFrame]:
    """Each employee not active (ROSTER_INACTIVE), and per roster file one UNIT_UNMAPPED listing the units
    of active employees that map to no OPD, with the number of employees of each."""
    inactive = roster[~roster["aktif"]]
    parts = [cell_findings(inactive, "kedudukan", "ROSTER_INACTIVE", inactive["kedudukan"])]
    lost = unmapped(roster)
    for (file, sheet), rows in lost.groupby(["file", "sheet"], sort=True):
        counts = rows["unor"].value_counts().sort_index(kind="stable")
        listed = [f"{unit} ({n})" for unit, n in counts.iloc[:UNITS_LISTED].items()]
        more = f" dan {len(counts) - UNITS_LISTED} unit lainnya" if len(counts) > UNITS_LISTED else ""
        detail = f"{len(counts)} unit, {len(rows)} pegawai: " + "; ".join(listed) + more
        parts.append(pd.DataFrame([file_finding(str(file), "UNIT_UNMAPPED", detail, sheet=str(sheet))]))
    return parts


def _roster_nips(batch: Batch) -> pd.Index | None:
    if batch.roster is None:
        return None
    return pd.Index(batch.roster["nip"].dropna().unique())


def _empty(frame: pd.DataFrame, field: str) -> pd.Series:
    column = f"{field}_text" if f"{field}_text" in frame.columns else field
    if column not in frame.columns:
        return pd.Series(True, index=frame.index)
    return frame[column].isna()


def check_required(frame: pd.DataFrame, required: dict[str, tuple[str, ...]]) -> list[pd.DataFrame]:
    parts = []
    for kind, fields in required.items():
        of_kind = frame["kind"].eq(kind)
        for field in fields:
            missing = of_kind & _empty(frame, field)
            rows = frame[missing]
            parts.append(cell_findings(rows, field, "MISSING_REQUIRED", pd.Series("", index=rows.index)))
    return parts


def nip_structure(digits: pd.Series, year: int, today: dt.date) -> tuple[pd.Series, pd.Series]:
    """First failing structural check of 18-digit NIPs: (code or <NA>, the digits concerned)."""
    birth = pd.to_datetime(digits.str[:8], format="%Y%m%d", errors="coerce")
    birth_ok = birth.notna() & birth.dt.year.between(1940, year - 17)
    tmt_year = pd.to_numeric(digits.str[8:12], errors="coerce")
    tmt_month = pd.to_numeric(digits.str[12:14], errors="coerce")
    earliest_year = birth.dt.year + 17
    pppk = pppk_nip(digits)
    pns_ok = tmt_month.between(1, 12) & (tmt_year * 12 + tmt_month >= earliest_year * 12 + birth.dt.month)
    pppk_ok = tmt_year >= earliest_year
    tmt_ok = pns_ok.where(~pppk, pppk_ok) & tmt_year.le(today.year)
    gender_ok = digits.str[14].isin(["1", "2"])
    bad_birth, bad_tmt, bad_gender = (
        ~s.astype("boolean").fillna(False).to_numpy(dtype=bool) for s in (birth_ok, tmt_ok, gender_ok)
    )
    code = pd.Series(
        np.select([bad_birth, bad_tmt, bad_gender], ["NIP_BIRTHDATE", "NIP_TMT", "NIP_GENDER"], default=""),
        index=digits.index,
    )
    parts = [digits.str[:8].to_numpy(dtype=object), digits.str[8:14].to_numpy(dtype=object)]
    detail = pd.Series(
        np.select([bad_birth, bad_tmt], parts, default=digits.str[14].to_numpy(dtype=object)),
        index=digits.index,
    )
    return code.mask(code.eq("")), detail


def check_nips(
    frame: pd.DataFrame, fields: tuple[str, ...], year: int, today: dt.date, structure: bool = True
) -> list[pd.DataFrame]:
    parts = []
    present = [f for f in fields if f"{f}_text" in frame.columns]
    text_only = frame[[f"{f}_digits" for f in present]].rename(columns=lambda c: c.removesuffix("_digits"))
    bad_format = failure_findings(nip_text_schema(present), text_only)
    for field in present:
        numeric = frame[f"{field}_numeric"] & frame[f"{field}_text"].notna()
        rows = frame[numeric]
        parts.append(cell_findings(rows, field, "NIP_NUMERIC_PRECISION", rows[f"{field}_text"]))
        failing = bad_format.loc[bad_format["column"].eq(field), "index"]
        rows = frame.loc[failing]
        ndigits = rows[f"{field}_digits"].str.count(r"\d").astype("Int64").astype("string") + " digit"
        parts.append(cell_findings(rows, field, "NIP_FORMAT", rows[f"{field}_text"], ndigits))
        if structure:
            parts += _structure_findings(frame, field, year, today)
    return parts


def _structure_findings(frame: pd.DataFrame, field: str, year: int, today: dt.date) -> list[pd.DataFrame]:
    """NIP_BIRTHDATE, NIP_TMT, NIP_GENDER: each distinct NIP checked once (it recurs in every session of its
    employee), the rows of the failing ones taken with the columns a finding needs (not all 45)."""
    nips = frame[field]
    distinct = nips.dropna().drop_duplicates()
    code, detail = nip_structure(distinct, year, today)
    parts = []
    for name in ("NIP_BIRTHDATE", "NIP_TMT", "NIP_GENDER"):
        failing = code.eq(name).fillna(False).to_numpy()
        at = is_in(nips, distinct[failing]).to_numpy()
        rows = frame.loc[at, ["uid", "file", "sheet", "row", f"{field}_text"]]
        why = nips[at].map(dict(zip(distinct[failing], detail[failing], strict=True)))
        parts.append(cell_findings(rows, field, name, rows[f"{field}_text"], why))
    return parts


def check_dates(frame: pd.DataFrame, fields: tuple[str, ...], today: dt.date) -> list[pd.DataFrame]:
    parts = []
    limit = pd.Timestamp(today)
    for field in fields:
        if field not in frame.columns:
            continue
        invalid = frame[f"{field}_text"].notna() & frame[field].isna()
        rows = frame[invalid]
        parts.append(cell_findings(rows, field, "DATE_INVALID", rows[f"{field}_text"]))
        future = frame[field].gt(limit)
        rows = frame[future]
        parts.append(cell_findings(rows, field, "DATE_FUTURE", _dmy(rows[field]), limit.strftime("%d/%m/%Y")))
    return parts


def _dmy(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%d/%m/%Y")


def check_same_person(acts: pd.DataFrame) -> pd.DataFrame:
    same = acts["kind"].isin(SESSION_KINDS) & acts["nip_penerima"].notna()
    same &= acts["nip_penerima"].eq(acts["nip_pembimbing"]).fillna(False)
    rows = acts[same]
    return cell_findings(rows, "nip_pembimbing", "SAME_PERSON", rows["nip_pembimbing"])


def check_unknown_activity(acts: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    unknown = acts["kind"].eq(layout.LAIN) & acts["jenis_text"].notna() & acts["activity"].isna()
    rows = acts[unknown]
    return cell_findings(rows, "jenis", "UNKNOWN_ACTIVITY", rows["jenis_text"], profile.id)


def check_programme_jp(acts: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Activities counted by programme JP need it, unless a per-day cap can stand in (e-learning)."""
    needs = [k for k, a in profile.activities.items() if a.unit == "program" and a.max_jp_per_day is None]
    missing = acts["activity"].isin(needs) & acts["jp_program_reading"].eq(READING_EMPTY)
    rows = acts[missing]
    return cell_findings(rows, "jp_program", "MISSING_REQUIRED", rows["jp_program_text"])


AMOUNT_FIELDS = ("jp_program", "jumlah_hari")


def check_amounts(acts: pd.DataFrame) -> list[pd.DataFrame]:
    """JP Program and Jumlah Hari as typed: one number read from annotated text (NUMBER_READ, it counts),
    no clear number (NUMBER_UNCLEAR), a negative one (NUMBER_NEGATIVE); an end before the start."""
    parts = []
    for field in AMOUNT_FIELDS:
        reading, text = acts[f"{field}_reading"], acts[f"{field}_text"]
        rows = acts[reading.eq(READING_TEXT).to_numpy()]
        parts.append(
            cell_findings(rows, field, "NUMBER_READ", text[rows.index], rows[field].map("{:g}".format))
        )
        rows = acts[reading.eq(READING_UNCLEAR).to_numpy()]
        parts.append(cell_findings(rows, field, "NUMBER_UNCLEAR", text[rows.index]))
        rows = acts[acts[field].lt(0).to_numpy()]
        parts.append(cell_findings(rows, field, "NUMBER_NEGATIVE", text[rows.index]))
    backwards = acts[acts["tanggal_selesai"].lt(acts["tanggal"]).fillna(False).to_numpy()]
    parts.append(
        cell_findings(backwards, "tanggal_selesai", "DATE_ORDER", _dmy(backwards["tanggal_selesai"]),
                      _dmy(backwards["tanggal"]))
    )  # fmt: skip
    return parts


def check_grades(acts: pd.DataFrame) -> list[pd.DataFrame]:
    parts = []
    for role in ("penerima", "pembimbing"):
        unknown = acts[f"pangkat_{role}_text"].notna() & ~acts[f"grade_{role}_known"]
        rows = acts[unknown]
        parts.append(cell_findings(rows, f"pangkat_{role}", "PANGKAT_UNKNOWN", rows[f"pangkat_{role}_text"]))
    return parts


def check_mentor_junior(acts: pd.DataFrame) -> pd.DataFrame:
    comparable = acts["kind"].eq(layout.MENTORING) & acts["scheme_penerima"].eq(acts["scheme_pembimbing"])
    junior = comparable.fillna(False) & acts["grade_pembimbing"].lt(acts["grade_penerima"]).fillna(False)
    rows = acts[junior]
    return cell_findings(
        rows,
        "pangkat_pembimbing",
        "MENTOR_JUNIOR",
        rows["pangkat_pembimbing_text"],
        rows["pangkat_penerima_text"],
    )


def check_evidence(acts: pd.DataFrame) -> pd.DataFrame:
    rows = acts[acts["kind"].isin(SESSION_KINDS) & acts["bukti"].isna()]
    return cell_findings(rows, "bukti", "EVIDENCE_MISSING", pd.Series("", index=rows.index))


def check_late_report(acts: pd.DataFrame, profile: Profile, places: pd.DataFrame, year: int) -> pd.DataFrame:
    """One LATE_REPORT per file and sheet whose sessions of the report year were handed in later than the
    profile allows after them: how many, their dates, the rule; marked on the file's Tanggal Penyerahan
    (they still count).
    `places`: the layout (file, sheet, field, header_row), where Identitas › Tanggal Penyerahan is."""
    months = profile.report_deadline_months
    if not months:
        return empty_findings()
    late = acts["kind"].isin(SESSION_KINDS) & acts["tanggal"].dt.year.eq(year)
    late &= acts["submitted"].gt(acts["tanggal"] + pd.DateOffset(months=months))
    rows = acts.loc[late.fillna(False).to_numpy(), ["file", "sheet", "tanggal", "submitted"]]
    submitted = places[places["field"].eq("tanggal_penyerahan")].drop_duplicates("file")
    cells = {
        f: {"sheet": sheet, "row": int(row)}
        for f, sheet, row in submitted[["file", "sheet", "header_row"]].itertuples(index=False)
    }
    found = []
    for (file, sheet), own in rows.groupby(["file", "sheet"], sort=True):
        dates = say_dates(own["tanggal"].min().date(), own["tanggal"].max().date())
        detail = (
            f"{len(own)} sesi di sheet {sheet} ({dates}) dilaporkan lebih dari {months} bulan setelah "
            f"kegiatan, melewati batas pedoman ({months} bulan)"
        )
        found.append({**file_finding(str(file), "LATE_REPORT", detail), "field": "tanggal_penyerahan",
                      "value": f"{own['submitted'].iloc[0]:%d/%m/%Y}", **cells.get(file, {})})  # fmt: skip
    return pd.DataFrame(found, columns=FINDING_COLUMNS)


UNIT_NOT_MAPPED = "pegawai unit ini tidak dipetakan ke Perangkat Daerah mana pun."
FILE_NOT_MAPPED = (
    "berkas ini tidak masuk ke Perangkat Daerah mana pun; isi Perangkat Daerah di sheet Identitas."
)


def check_opd_names(batch: Batch) -> list[pd.DataFrame]:
    """OPD_UNKNOWN for a Peta Unor's Perangkat Daerah and a file's name that mean no known OPD, with the
    closest known name proposed: neither becomes an OPD of its own."""
    known = batch.opds
    subs = batch.submissions[batch.submissions["opd_source"].eq(UNKNOWN_SOURCE)]
    files = [
        {
            **file_finding(str(f), "OPD_UNKNOWN", FILE_NOT_MAPPED),
            "value": typed,
            "proposal": _quoted(known.closest(typed)),
        }
        for f, typed in zip(subs["file"], subs["opd_typed"], strict=True)
    ]
    parts = [pd.DataFrame(files, columns=FINDING_COLUMNS)]
    units = batch.units
    if units is None or not len(units) or "opd" not in units.columns:
        return parts
    names = units["opd"].map(lambda v: clean_scalar(v) if isinstance(v, str) else "")
    verdict = {n: known.meaning(n) is not None for n in names.unique() if n}
    rows = units[names.map(lambda n: bool(n) and not verdict[n]).to_numpy()]
    found = cell_findings(rows, "opd", "OPD_UNKNOWN", names[rows.index], UNIT_NOT_MAPPED)
    parts.append(found.assign(proposal=names[rows.index].map(lambda n: _quoted(known.closest(n))).to_numpy()))
    return parts


def _quoted(name: str) -> str:
    return f"'{name}'" if name else ""


def check_period(submissions: pd.DataFrame, year: int) -> pd.DataFrame:
    """PERIOD_UNKNOWN for an Identitas › Periode that names no months understood (the span is used)."""
    unknown = [
        {**file_finding(str(f), "PERIOD_UNKNOWN", sheet=layout.SHEET_NAMES[layout.IDENTITAS]), "value": text}
        for f, text in zip(submissions["file"], submissions["periode"], strict=True)
        if text and parse_period(text, year) is None
    ]
    return pd.DataFrame(unknown, columns=FINDING_COLUMNS)


def check_pppk_recipient(acts: pd.DataFrame, roster: pd.DataFrame | None) -> pd.DataFrame:
    """The profile names coachee and mentee as PNS: a PPPK recipient is warned about, still counted."""
    sessions = acts[acts["kind"].isin(SESSION_KINDS) & acts["nip_penerima"].notna()]
    rows = sessions[asn_status(sessions["nip_penerima"], roster).eq("PPPK").to_numpy()]
    return cell_findings(rows, "nip_penerima", "PENERIMA_PPPK", rows["nip_penerima"])


def check_not_in_roster(acts: pd.DataFrame, roster_nips: pd.Index) -> list[pd.DataFrame]:
    parts = []
    for field in ("nip_penerima", "nip_pembimbing"):
        absent = acts[field].notna() & ~is_in(acts[field], roster_nips)
        rows = acts[absent]
        parts.append(cell_findings(rows, field, "NOT_IN_ROSTER", rows[field]))
    return parts


PROPOSING_CODES = ("NIP_FORMAT", "NOT_IN_ROSTER")


def propose_nips(found: pd.DataFrame, acts: pd.DataFrame, roster: pd.DataFrame | None) -> pd.DataFrame:
    """A session NIP's NIP_FORMAT or NOT_IN_ROSTER proposes the roster's NIP when exactly one person of the
    roster has the row's name (titles ignored) and, for NIP_FORMAT, a NIP one typing slip away from the
    typed digits (a digit dropped, doubled or mistyped)."""
    targets = found[
        found["code"].isin(PROPOSING_CODES) & found["field"].isin(["nip_penerima", "nip_pembimbing"])
    ]
    if roster is None or not len(targets):
        return found
    people = roster.dropna(subset=["nip", "nama"]).drop_duplicates("nip")
    keys = name_key(people["nama"])
    alone = ~keys.duplicated(keep=False)
    by_name = dict(
        zip(keys[alone], zip(people["nip"][alone], people["nama"][alone], strict=True), strict=True)
    )
    named = acts.loc[acts["uid"].isin(targets["uid"]).to_numpy(), ["uid", *_NAME_AND_DIGITS]]  # few rows
    rows = targets[["uid", "field", "code"]].merge(named, on="uid", how="left")
    role = rows["field"].str.removeprefix("nip_")
    names = rows["nama_penerima"].where(role.eq("penerima"), rows["nama_pembimbing"])
    typed = rows["nip_penerima_digits"].where(role.eq("penerima"), rows["nip_pembimbing_digits"])
    proposals = []
    for key, code, digits in zip(name_key(names).fillna(""), rows["code"], typed.fillna(""), strict=True):
        nip, nama = by_name.get(key, ("", ""))
        slip = code != "NIP_FORMAT" or one_edit_apart(str(digits), str(nip))
        proposals.append(f"{nip} — {nama} di Data Pegawai" if nip and nip != digits and slip else "")
    out = found.copy()
    out.loc[targets.index, "proposal"] = proposals
    return out


_NAME_AND_DIGITS = ["nama_penerima", "nama_pembimbing", "nip_penerima_digits", "nip_pembimbing_digits"]


def one_edit_apart(a: str, b: str) -> bool:
    """Whether one insertion, deletion or substitution turns a into b (or they are equal)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def check_name_mismatch(acts: pd.DataFrame, roster: pd.DataFrame | None) -> pd.DataFrame:
    """One NIP, different names: each name differing from the roster's (else the first seen) is reported.
    Each role's columns are compared where they lie; only the flagged rows are taken from `acts` (stacking
    both roles and sorting them took two thirds of validate at 200k rows)."""
    named = {role: acts[f"nip_{role}"].notna() & acts[f"nama_{role}"].notna() for role in NAME_ROLES}
    reference = _first_names(acts, named)
    if roster is not None:
        listed = roster.dropna(subset=["nip", "nama"]).drop_duplicates("nip").set_index("nip")["nama"]
        reference = listed.combine_first(reference)
    parts = []
    for role in NAME_ROLES:
        names = acts[f"nama_{role}"]
        expected = acts[f"nip_{role}"].map(reference)
        differs = (named[role] & expected.notna() & name_key(names).ne(name_key(expected))).to_numpy()
        rows = acts.loc[differs, ["uid", "file", "sheet", "row"]].assign(
            nama=names[differs].to_numpy(), expected=expected[differs].to_numpy()
        )
        rows = rows.sort_values("uid", kind="stable")
        parts.append(cell_findings(rows, f"nama_{role}", "NAME_MISMATCH", rows["nama"], rows["expected"]))
    return concat_findings(parts)


NAME_ROLES = ("penerima", "pembimbing")  # the order NAME_MISMATCH findings are listed in


def _first_names(acts: pd.DataFrame, named: dict[str, pd.Series]) -> pd.Series:
    """Per NIP, the name in its first row (by uid); within one row the pembimbing's comes first."""
    firsts = []
    for rank, role in enumerate(("pembimbing", "penerima")):
        seen = acts.loc[named[role].to_numpy(), ["uid", f"nip_{role}", f"nama_{role}"]]
        seen = seen.set_axis(["uid", "nip", "nama"], axis=1).sort_values("uid", kind="stable")
        firsts.append(seen.drop_duplicates("nip").assign(rank=rank))
    first = pd.concat(firsts, ignore_index=True).sort_values(["uid", "rank"], kind="stable")
    return first.drop_duplicates("nip").set_index("nip")["nama"]


def check_scores(evals: pd.DataFrame) -> pd.DataFrame:
    failing = failure_findings(score_schema(list(layout.SCORE_FIELDS)), evals[list(layout.SCORE_FIELDS)])
    parts = []
    for field in layout.SCORE_FIELDS:
        rows = evals.loc[failing.loc[failing["column"].eq(field), "index"]]
        parts.append(cell_findings(rows, field, "SCORE_RANGE", rows[f"{field}_text"]))
    return concat_findings(parts)


def check_assessment(assessments: pd.DataFrame) -> pd.DataFrame:
    rows = assessments[assessments["penilaian"].isna()]
    return cell_findings(rows, "penilaian", "ASSESSMENT_VALUE", rows["penilaian_text"])
