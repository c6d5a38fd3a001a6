"""Pure compute stage: conversion table per profile and invariants (Hypothesis)."""

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.compute import DIHITUNG, assign_status, convert_jp, reconciliation
from pipeline.findings import empty_findings
from pipeline.periods import month_index, months_between
from pipeline.profiles import load_profile

NIPS = ["198503122010012004", "199001152015031002", "198807072012121001"]
COACHES = ["197001011995031001", "197505052000031002"]


def rows(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "uid": np.arange(1, n + 1),
        "file": ["a.xlsx"] * n,
        "sheet": ["Pengembangan Lain"] * n,
        "row": np.arange(2, n + 2),
        "kind": ["lain"] * n,
        "tanggal": [pd.Timestamp(2025, 5, 5)] * n,
        "tanggal_text": ["05/05/2025"] * n,
        "tanggal_selesai": [pd.NaT] * n,
        "nip_penerima": [NIPS[0]] * n,
        "nip_pembimbing": [None] * n,
        "skala": ["Nasional"] * n,
        "jp_program": [np.nan] * n,
        "jumlah_hari": [np.nan] * n,
    }
    base.update(columns)
    frame = pd.DataFrame(base)
    frame["tanggal"] = pd.to_datetime(frame["tanggal"]).astype("datetime64[s]")
    frame["tanggal_selesai"] = pd.to_datetime(frame["tanggal_selesai"]).astype("datetime64[s]")
    for c in ("activity", "skala", "nip_penerima", "nip_pembimbing", "tanggal_text"):
        frame[c] = frame[c].astype("string")
    return frame


# (activity, skala, jp_program, jumlah_hari, days by dates, expected JP) per profile
CONVERSIONS = {
    "nganjuk-2025": [
        ("pendidikan", "Nasional", None, None, None, 20),
        ("pendidikan", "Internasional", None, None, None, 20),
        ("pelatihan_struktural", "Nasional", 40, None, None, 40),
        ("pelatihan_struktural", "Internasional", 40, None, None, 40),
        ("pelatihan_teknis", "Nasional", 24, None, None, 24),
        ("pelatihan_teknis", "Internasional", 24, None, None, 28.8),
        ("pelatihan_manajerial", "Internasional", 30, None, None, 36),
        ("pelatihan_fungsional", "Internasional", 10, None, None, 12),
        ("pelatihan_sosial_kultural", "Nasional", 10, None, None, 10),
        ("penataran", "Internasional", 5, None, None, 6),
        ("kursus", "Internasional", 10, None, None, 12),
        ("bimbingan_teknis", "Nasional", 16, None, None, 16),
        ("seminar", "Nasional", None, 2, None, 8),
        ("seminar", "Internasional", None, None, 3, 18),
        ("seminar", "Nasional", None, None, None, 4),
        ("workshop", "Nasional", None, 2, None, 10),
        ("workshop", "Internasional", None, 2, None, 14),
        ("e_learning", "Nasional", 10, 2, None, 6),
        ("e_learning", "Nasional", 5, 2, None, 5),
        ("e_learning", "Internasional", 10, 2, None, 8),
        ("e_learning", "Nasional", None, 1, None, 3),
        ("belajar_mandiri", "Nasional", 5, 2, None, 4),
        ("belajar_mandiri", "Internasional", 5, 2, None, 4.8),
        ("komunitas_belajar", "Nasional", 3, 1, None, 2),
        ("detasering", "Nasional", None, None, None, 20),
        ("detasering", "Internasional", None, None, None, 24),
        ("pertukaran", "Internasional", None, None, None, 24),
        ("magang", "Nasional", None, None, None, 20),
        ("patok_banding", "Nasional", None, None, None, 10),
        ("patok_banding", "Internasional", None, None, None, 20),
        ("pelatihan_jarak_jauh", "Internasional", 20, None, None, 24),
        ("pembelajaran_alam_terbuka", "Nasional", 8, None, None, 8),
        ("bimbingan_tempat_kerja", "Nasional", 6, None, None, 6),
        ("bimbingan_tempat_kerja", "Internasional", 6, None, None, 6),  # no uplift the regulation lacks
        ("coaching", "Nasional", None, None, None, 4),
        ("coaching", "Internasional", None, None, None, 4),
        ("mentoring", "Internasional", None, None, None, 2),
    ],
    "pangkalpinang-2023": [
        ("coaching", "Nasional", None, None, None, 2),
        ("coaching", "Internasional", None, None, None, 4),
        ("mentoring", "Nasional", None, None, None, 2),
        ("mentoring", "Internasional", None, None, None, 4),
        ("pelatihan_nasional", "Internasional", 30, None, None, 30),
        ("workshop", "Nasional", None, 2, None, 10),
        ("workshop", "Internasional", None, 2, None, 12),
        ("seminar", "Internasional", None, 1, None, 6),
        ("detasering", "Internasional", None, None, None, 24),
        ("patok_banding", "Internasional", None, None, None, 20),
        ("e_learning", "Internasional", 12, 2, None, 8),
        ("pendidikan", "Nasional", None, None, None, 20),
    ],
}
CASES = [(p, *case) for p, cases in CONVERSIONS.items() for case in cases]


@pytest.mark.parametrize(("profile", "activity", "skala", "jp", "days", "span", "expected"), CASES)
def test_conversion_row(profile, activity, skala, jp, days, span, expected):
    end = pd.Timestamp(2025, 5, 5) + pd.Timedelta(days=span - 1) if span else pd.NaT
    frame = rows(
        activity=[activity],
        skala=[skala],
        jp_program=[jp if jp is not None else np.nan],
        jumlah_hari=[days if days is not None else np.nan],
        tanggal_selesai=[end],
    )
    assert convert_jp(frame, load_profile(profile)).iloc[0] == pytest.approx(expected)


def test_every_activity_of_each_profile_has_a_conversion_case():
    for profile, cases in CONVERSIONS.items():
        if profile == "nganjuk-2025":
            assert {c[0] for c in cases} == set(load_profile(profile).activities)


one_row = st.tuples(
    st.sampled_from(["coaching", "mentoring"]),
    st.sampled_from(NIPS),
    st.sampled_from(COACHES),
    st.dates(dt.date(2024, 11, 1), dt.date(2026, 2, 1)),
    st.booleans(),
    st.sampled_from(["a.xlsx", "b.xlsx"]),
)
# A crowded month: one recipient, one activity, three to five sessions on different days of one month.
crowded_month = st.tuples(
    st.sampled_from(["coaching", "mentoring"]),
    st.sampled_from(NIPS),
    st.sampled_from(COACHES),
    st.lists(st.integers(1, 28), min_size=3, max_size=5, unique=True),
    st.sampled_from([(2025, 3), (2025, 12), (2026, 1)]),
    st.sampled_from(["a.xlsx", "b.xlsx"]),
).map(lambda c: [(c[0], c[1], c[2], dt.date(*c[4], day), False, c[5]) for day in c[3]])
# Rows in any order (the uid order is the file order, not the date order), crowded months always present.
session_rows = (
    st.tuples(st.lists(one_row, max_size=25), st.lists(crowded_month, min_size=1, max_size=3))
    .map(lambda parts: parts[0] + [row for burst in parts[1] for row in burst])
    .flatmap(st.permutations)
)


def sessions(data) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = (
        rows(
            activity=[d[0] for d in data] or [],
            kind=[d[0] for d in data],
            nip_penerima=[d[1] for d in data],
            nip_pembimbing=[d[2] for d in data],
            tanggal=[pd.Timestamp(d[3]) for d in data],
            tanggal_text=[d[3].strftime("%d/%m/%Y") for d in data],
            sheet=["Coaching"] * len(data),
            file=[d[5] for d in data],
        )
        if data
        else rows(activity=[])
    )
    findings = empty_findings()
    rejected = [i + 1 for i, d in enumerate(data) if d[4] and i % 3 == 0]
    if rejected:
        findings = pd.DataFrame(
            {
                "uid": rejected,
                "file": "a.xlsx",
                "sheet": "Coaching",
                "row": 2,
                "field": "tanggal",
                "value": "",
                "code": "DATE_INVALID",
                "detail": "",
            }
        )
    return frame, findings


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session_rows, st.sampled_from(["nganjuk-2025", "pangkalpinang-2023"]), st.booleans())
def test_every_row_ends_in_exactly_one_place_and_the_cap_holds(data, profile_id, b_replaces_a):
    profile = load_profile(profile_id)
    frame, findings = sessions(data)
    every_month = months_between(month_index(2024, 11), month_index(2026, 2))  # the rows' whole range
    replaced = pd.DataFrame(
        {
            "file": ["a.xlsx"],
            "replaced_by": ["b.xlsx"],
            "rule": ["x"],
            "final": ["b.xlsx"],
            "covered": [every_month],
            "kinds": [None],  # every kind of sheet
        }
    ).iloc[: int(b_replaces_a)]
    result, _ = assign_status(frame, findings, profile, 2025, replaced)
    counts = result["status"].value_counts()
    assert counts.sum() == len(frame)
    recon = reconciliation(result)
    assert recon["rows_read"] == sum(v for k, v in recon.items() if k != "rows_read")
    assert result["file"].eq("a.xlsx").sum() * b_replaces_a == recon["superseded"]
    counted = result[result["status"].eq(DIHITUNG)]
    per_month = counted.groupby(["nip_penerima", "activity", counted["tanggal"].dt.to_period("M")]).size()
    assert (per_month <= 2).all()
    # the cap counts the first two in date order: nothing counted after a capped row of the same month
    capped = result[result["status"].eq("Melebihi Batas Bulanan")]
    for _, row in capped.iterrows():
        same = counted[
            counted["nip_penerima"].eq(row["nip_penerima"])
            & counted["activity"].eq(row["activity"])
            & counted["tanggal"].dt.to_period("M").eq(row["tanggal"].to_period("M"))
        ]
        assert len(same) == 2 and (same["tanggal"] <= row["tanggal"]).all()
    key = counted[["activity", "nip_penerima", "tanggal", "nip_pembimbing"]]
    assert not key.duplicated().any()
    assert (result.loc[result["status"].ne(DIHITUNG), "jp"] == 0).all()
    assert (counted["tanggal"].dt.year == 2025).all()


@settings(max_examples=40, deadline=None)
@given(session_rows)
def test_deduplication_is_idempotent(data):
    profile = load_profile("nganjuk-2025")
    frame, findings = sessions(data)
    first, _ = assign_status(frame, findings, profile, 2025)
    kept = first[first["status"].ne("Duplikat")].drop(columns=["status", "keterangan_status", "jp"])
    again, _ = assign_status(kept.reset_index(drop=True), findings, profile, 2025)
    assert not again["status"].eq("Duplikat").any()
    merged = first[first["status"].ne("Duplikat")].set_index("uid")["jp"]
    assert merged.sum() == pytest.approx(again["jp"].sum())


@given(
    st.from_regex(r"[0-9]{18}", fullmatch=True), st.lists(st.sampled_from([" ", ".", "-", "'"]), max_size=4)
)
def test_nip_normalisation_round_trips(nip, separators):
    from pipeline.normalise import parse_nip

    typed = nip
    for i, sep in enumerate(separators):
        pos = [8, 14, 15, 3][i]
        typed = typed[:pos] + sep + typed[pos:]
    assert parse_nip(pd.Series([typed], dtype=object))["nip"].iloc[0] == nip


def test_session_keys_are_equal_exactly_when_the_key_fields_are():
    """The duplicate key and the key that tells two versions of a file apart: same activity, recipient, date
    and coach -> one key; another day or coach -> another key; a row lacking a field has no key (NaN)."""
    from pipeline.compute import DEDUP_KEY
    from pipeline.frames import row_keys

    may5, may6 = pd.Timestamp(2025, 5, 5), pd.Timestamp(2025, 5, 6)
    key = pd.DataFrame(
        {
            "activity": pd.array(["coaching", "coaching", "coaching", "coaching", None], dtype="string"),
            "nip_penerima": pd.array([NIPS[0]] * 5, dtype="string"),
            "tanggal": pd.Series([may5, may5, may6, may5, may5], dtype="datetime64[s]"),
            "nip_pembimbing": pd.array([COACHES[0], COACHES[0], COACHES[0], "", COACHES[0]], dtype="string"),
        }
    )
    keys = row_keys(key, DEDUP_KEY)
    assert keys.iloc[0] == keys.iloc[1]
    assert keys.iloc[0] != keys.iloc[2] and keys.iloc[0] != keys.iloc[3] and keys.iloc[2] != keys.iloc[3]
    assert pd.isna(keys.iloc[4])
    assert keys.index.equals(key.index)


_TEXT_OR_NONE = st.lists(st.sampled_from(["198501", "198502", "Budi", "budi", "", None]), max_size=12)


@given(values=_TEXT_OR_NONE, among=_TEXT_OR_NONE, dtype=st.sampled_from(["str", "string", object]))
@settings(max_examples=60, deadline=None)
def test_is_in_matches_exact_text_and_an_empty_cell_only_an_empty_one(values, among, dtype):
    """The membership test that finds NIPs missing from the roster (NOT_IN_ROSTER) and the first of
    repeated rows: exact text only ('Budi' is not 'budi', '' is not missing); a missing value is in a list
    only if the list has a missing value; the result keeps the rows' index."""
    from pipeline.frames import is_in

    column = pd.Series(values, dtype=dtype, index=range(10, 10 + len(values)))
    found = is_in(column, pd.Index(among, dtype=dtype))
    expected = [v in among if v is not None else None in among for v in values]
    assert found.tolist() == expected
    assert found.index.equals(column.index) and found.dtype == bool


# One OPD's year, sent in rounds: cut at month boundaries into chunks; each round sends its chunk ("since the
# last time"), everything so far ("cumulative"), or its chunk with the previous chunk's last month again.
year_sessions = st.lists(
    st.tuples(
        st.sampled_from(NIPS), st.sampled_from(COACHES), st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    ),
    min_size=1,
    max_size=30,
)
rounds = st.tuples(
    year_sessions,
    st.lists(st.integers(2, 12), max_size=3, unique=True).map(sorted),
    st.lists(st.sampled_from(["since", "cumulative", "repeat"]), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=4, max_size=4),
)


def _sent_in_rounds(data, cuts, modes, stated):
    """(file name, Periode as typed, its rows) per round, oldest first."""
    from pipeline.periods import say_months

    bounds = [1, *cuts, 13]
    chunks = [[s for s in data if lo <= s[2].month < hi] for lo, hi in itertools.pairwise(bounds)]
    sent = []
    for i, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        mode = modes[i] if i else "since"
        first = 1 if mode == "cumulative" else lo
        if mode == "repeat" and i:
            first = hi_prev = bounds[i] - 1
            rows = [s for s in chunks[i - 1] if s[2].month == hi_prev] + chunks[i]
        else:
            rows = [s for c in chunks[: i + 1] for s in c] if mode == "cumulative" else chunks[i]
        period = say_months(months_between(month_index(2025, first), month_index(2025, hi - 1)))
        sent.append((f"r{i + 1}.xlsx", period if stated[i] else "", rows))
    return sent


def _counted_jp(sent, profile):
    from pipeline.compute import session_keys
    from pipeline.revisions import file_periods, resolve

    data = [("coaching", nip, coach, day, False, name) for name, _, rows in sent for nip, coach, day in rows]
    if not data:
        return {}
    frame, findings = sessions(data)
    files = pd.DataFrame(
        {
            "file": [name for name, _, _ in sent],
            "periode": [period for _, period, _ in sent],
            "opd": "Dinas Kesehatan",
            "submitted": [pd.Timestamp(2026, 1, i + 1) for i in range(len(sent))],
            "mtime": 0.0,
            "sha256": [name for name, _, _ in sent],
        }
    )
    replaced = resolve(files, session_keys(frame), file_periods(files, frame, 2025))
    result, _ = assign_status(frame, findings, profile, 2025, replaced)
    counted = result[result["status"].eq(DIHITUNG)]
    return counted.groupby("nip_penerima")["jp"].sum().to_dict()


@settings(max_examples=60, deadline=None)
@given(rounds)
def test_any_split_into_rounds_counts_as_one_file_of_the_union(case):
    """Issue 22: for any split of one OPD's sessions into files sent in rounds (a chunk, the year so far, a
    chunk with the month before it again; a Periode stated or not), the final figures are those of one file
    holding the union."""
    data, cuts, modes, stated = case
    profile = load_profile("nganjuk-2025")
    union = _counted_jp([("all.xlsx", "", data)], profile)
    assert _counted_jp(_sent_in_rounds(data, cuts, modes, stated), profile) == union
