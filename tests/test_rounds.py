"""The second round as OPDs send it: a semester file, a period stated in Identitas, a revision that deletes
a session. A newer version replaces an older one only for the months it covers (decision 105)."""

import datetime as dt

import pytest
from helpers import A, B, by_nip, coaching_row, rekap, sheet_rows, submission

from pipeline.periods import month_index, months_between, parse_period, say_months, whole_year

D = dt.date


def monthly(recipient, months, day=5):
    """One coaching session on `day` of each month given."""
    return [coaching_row(D(2025, m, day), recipient) for m in months]


def findings_of(result, file, code):
    rows = result.report[result.report["File"].eq(file) & result.report["Kode"].eq(code)]
    return rows["Pesan"].tolist()


def jp_total(out):
    return {
        nip: row["JP Total"]
        for nip, row in by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai")).items()
    }


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Januari–Desember 2025", "Januari–Desember 2025"),
        ("Semester II 2025", "Juli–Desember 2025"),
        ("semester 1", "Januari–Juni 2025"),
        ("Juli - Desember 2025", "Juli–Desember 2025"),
        ("Juli 2025 s.d. Desember 2025", "Juli–Desember 2025"),
        ("01/07/2025 - 31/12/2025", "Juli–Desember 2025"),
        ("Triwulan IV", "Oktober–Desember 2025"),
        ("Tahun 2025", "Januari–Desember 2025"),
        ("2025", "Januari–Desember 2025"),
        ("Agt 2025", "Agustus 2025"),
        ("Desember 2024 - Januari 2025", "Desember 2024–Januari 2025"),
    ],
)
def test_a_stated_period_is_read_as_its_months(text, months):
    assert say_months(parse_period(text, 2025)) == months


@pytest.mark.parametrize(
    "text", ["Semester 3 2025", "Desember - Januari 2025", "bebas", "", "Tahun ajaran baru"]
)
def test_a_period_that_names_no_months_is_not_guessed(text):
    assert parse_period(text, 2025) is None


def test_months_are_said_as_runs_with_the_year_once():
    months = [month_index(2025, m) for m in (1, 2, 3, 7, 10, 11)]
    assert say_months(months) == "Januari–Maret, Juli dan Oktober–November 2025"
    assert say_months([month_index(2025, 7)]) == "Juli 2025"
    assert say_months(whole_year(2025)) == "Januari–Desember 2025"
    assert (
        say_months(months_between(month_index(2024, 12), month_index(2025, 1)))
        == "Desember 2024–Januari 2025"
    )
    assert say_months([]) == ""


def test_a_semester_file_replaces_only_its_months(folders):
    """Round 1: the whole year. Round 2: July-December again (two corrected, one deleted) plus two new
    sessions. January-June still count from the first file; the figures are those of the union."""
    inp, out = folders
    year = monthly(A, range(1, 13)) + monthly(B, (2, 8))
    submission(inp, "dinkes_2025.xlsx", opd="Dinas Kesehatan", submitted=D(2025, 12, 20), coaching=year)
    second = monthly(A, range(7, 13)) + monthly(A, (11, 12), day=20) + monthly(B, (9,))  # B's August removed
    submission(
        inp, "dinkes semester 2.xlsx", opd="Dinas Kesehatan", submitted=D(2026, 1, 10), coaching=second
    )
    result = rekap(inp, out)
    assert jp_total(out) == {A: 4 * 14, B: 8}
    assert findings_of(result, "dinkes_2025.xlsx", "SUBMISSION_SUPERSEDED") == [
        "Berkas ini versi lama dan diganti oleh revisinya 'dinkes semester 2.xlsx' untuk Juli–Desember 2025 "
        "(Tanggal Penyerahan lebih baru: 10/01/2026 dibanding 20/12/2025); baris berkas ini pada bulan-bulan "
        "itu berstatus Diganti Revisi, 0 JP."
    ]
    assert findings_of(result, "dinkes_2025.xlsx", "SUBMISSION_PARTLY_KEPT") == [
        "Revisinya 'dinkes semester 2.xlsx' tidak mencakup bulan-bulan ini, sehingga baris berkas ini di sana "
        "tetap dihitung: Coaching: Januari–Juni 2025."
    ]
    detail = sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    old = [r["Status"] for r in detail if r["File"] == "dinkes_2025.xlsx"]
    assert old == ["Dihitung"] * 6 + ["Diganti Revisi"] * 6 + ["Dihitung", "Diganti Revisi"]
    inputs = {i["path"]: i["status"] for i in manifest_inputs(out)}
    assert inputs["dinkes_2025.xlsx"] == "partly superseded by dinkes semester 2.xlsx"
    # the older version still counts: its marked copy goes back to the OPD too
    package = sorted(p.name for p in (out / "kirim_opd" / "Dinas Kesehatan").iterdir())
    assert "dinkes_2025_validasi.xlsx" in package


def test_a_period_in_identitas_replaces_every_month_it_names(folders):
    """A revision stating the whole year replaces it all, although its sessions only run July-December."""
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", submitted=D(2025, 12, 1), coaching=monthly(A, range(1, 13)))
    revised = monthly(A, range(7, 13))
    submission(
        inp,
        "dinkes_revisi.xlsx",
        opd="Dinkes",
        submitted=D(2026, 1, 5),
        periode="Januari–Desember 2025",
        coaching=revised,
    )
    result = rekap(inp, out)
    assert jp_total(out) == {A: 24}
    assert findings_of(result, "dinkes.xlsx", "SUBMISSION_PARTLY_KEPT") == []
    assert "untuk Januari–Desember 2025" in findings_of(result, "dinkes.xlsx", "SUBMISSION_SUPERSEDED")[0]


def test_a_revision_that_deletes_the_last_session_of_a_month_keeps_it_deleted(folders):
    inp, out = folders
    first = monthly(A, (1, 2, 3, 4))
    submission(inp, "dinkes.xlsx", opd="Dinkes", submitted=D(2025, 5, 1), coaching=first)
    # March's only session deleted; April's too (the last month of the older file)
    submission(inp, "dinkes_revisi.xlsx", opd="Dinkes", submitted=D(2025, 5, 9), coaching=monthly(A, (1, 2)))
    result = rekap(inp, out)
    assert jp_total(out) == {A: 8}
    assert findings_of(result, "dinkes.xlsx", "SUBMISSION_PARTLY_KEPT") == []


def test_a_period_that_cannot_be_read_is_reported_and_the_dates_used(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", periode="semester tiga", coaching=monthly(A, (1,)))
    result = rekap(inp, out)
    rows = result.report[result.report["Kode"].eq("PERIOD_UNKNOWN")]
    assert rows[["Sheet", "Nilai", "Tingkat"]].values.tolist() == [
        ["Identitas", "semester tiga", "Peringatan"]
    ]
    assert rows["Pesan"].tolist() == [
        "Periode 'semester tiga' di sheet Identitas tidak dikenali; periode berkas diambil dari tanggal sesinya."
    ]


def manifest_inputs(out):
    import json

    return json.loads((out / "manifest_2025.json").read_text())["inputs"]


def test_a_returned_marked_copy_is_marked_afresh_under_its_own_name(folders):
    """The clerk fixes the 17-digit NIP in her marked copy and leaves the bad date; the new marked copy shows
    only the date, and goes back as dinkes_ditandai.xlsx, not dinkes_ditandai_ditandai.xlsx."""
    import shutil

    import openpyxl

    inp, out = folders
    rows = [coaching_row(D(2025, 3, 3), A[:-1]), coaching_row("31/02/2025", B), coaching_row(D(2025, 4, 3))]
    submission(inp, "dinkes.xlsx", opd="Dinkes", submitted=D(2025, 5, 2), coaching=rows)
    rekap(inp, out)
    book = openpyxl.load_workbook(out / "kirim_opd" / "Dinkes" / "dinkes_ditandai.xlsx")
    assert book["Coaching"]["C2"].fill.fgColor.rgb == "FFFF9999"
    book["Coaching"]["C2"].value = A  # fixed; the date in B3 is not
    book.save(inp / "dinkes_ditandai.xlsx")
    shutil.move(inp / "dinkes.xlsx", inp.parent / "dinkes.xlsx")  # the analyst keeps only the newest
    result = rekap(inp, out)
    package = sorted(p.name for p in (out / "kirim_opd" / "Dinkes").iterdir())
    assert package == [
        "dinkes_ditandai.xlsx",
        "dinkes_ditandai_validasi.xlsx",
        "kartu_pengendalian_2025.xlsx",
    ]
    ws = openpyxl.load_workbook(out / "kirim_opd" / "Dinkes" / "dinkes_ditandai.xlsx")["Coaching"]
    assert ws["C2"].fill.fill_type is None and ws["C2"].comment is None
    assert ws["B3"].fill.fgColor.rgb == "FFFF9999"
    assert ws["B3"].comment.text.count("bukan tanggal yang dikenali") == 1
    assert jp_total(out)[A] == 8
    assert result.report["Kode"].tolist().count("NIP_FORMAT") == 0


DEWI = "199610252021082011"


def _roster(path):
    from helpers import COACH, COACH_NAME, roster_file

    return roster_file(
        path,
        [
            ["NIP", "Nama"],
            [DEWI, "Dewi Wulandari, S.E."],
            [A, "DEWI SAPUTRA, S.E., M.Si."],
            [COACH, COACH_NAME],
        ],
    )


def test_findings_propose_the_rosters_nip_and_names_with_titles_are_one_name(folders, tmp_path):
    inp, out = folders
    rows = [
        coaching_row(D(2025, 3, 3), A, nama_penerima="Dewi Saputra"),  # the roster adds only titles
        coaching_row(D(2025, 3, 4), DEWI[:-1], nama_penerima="Dra. Dewi Wulandari"),  # a digit dropped
        coaching_row(D(2025, 3, 5), "199610252021082012", nama_penerima="dewi wulandari"),  # another NIP
        coaching_row(D(2025, 3, 6), "19961025202108", nama_penerima="Dewi Wulandari"),  # too far to propose
    ]
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=rows)
    report = rekap(inp, out, roster=_roster(tmp_path / "pegawai.xlsx")).report
    found = report[report["Kode"].isin(["NIP_FORMAT", "NOT_IN_ROSTER", "NAME_MISMATCH"])]
    assert found[["Baris", "Kode", "Pesan"]].values.tolist() == [
        [
            3,
            "NIP_FORMAT",
            "NIP '19961025202108201' pada kolom NIP Coachee bukan 18 digit (17 digit). Mungkin maksudnya "
            "199610252021082011 — Dewi Wulandari, S.E. di Data Pegawai. Baris ini tidak dihitung.",
        ],
        [
            4,
            "NOT_IN_ROSTER",
            "NIP 199610252021082012 pada kolom NIP Coachee tidak ada di Data Pegawai. Mungkin maksudnya "
            "199610252021082011 — Dewi Wulandari, S.E. di Data Pegawai.",
        ],
        [
            5,
            "NIP_FORMAT",
            "NIP '19961025202108' pada kolom NIP Coachee bukan 18 digit (14 digit). Baris ini tidak dihitung.",
        ],
    ]


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [("12345", "12345", True), ("1234", "12345", True), ("12345", "1245", True), ("12345", "12395", True),
     ("12345", "21345", False), ("123", "12345", False), ("", "1", True)],
)  # fmt: skip
def test_one_typing_slip_apart(a, b, near):
    from pipeline.validate import one_edit_apart

    assert one_edit_apart(a, b) is near and one_edit_apart(b, a) is near


@pytest.mark.parametrize(
    ("typed", "listed"),
    [("Dewi Saputra", "DEWI SAPUTRA, S.E."), ("Drs. H. Ahmad Fauzi, M.Si.", "Ahmad Fauzi"),
     ("Hj. Siti Aminah SE MM", "Siti Aminah, S.E., M.M."), ("dr. Hadi Santoso, Sp.PD", "Hadi Santoso M.Kes."),
     ("Irwan Apt", "apt. Irwan")],
)  # fmt: skip
def test_titles_and_degrees_do_not_make_another_name(typed, listed):
    import pandas as pd

    from pipeline.normalise import name_key

    assert name_key(pd.Series([typed])).iloc[0] == name_key(pd.Series([listed])).iloc[0]
    assert (
        name_key(pd.Series(["Dewi Saputri"])).iloc[0] != name_key(pd.Series(["Dewi Saputra, S.E."])).iloc[0]
    )


def test_perubahan_says_why_for_every_employee_that_moved(folders):
    """Round 2 moves one of A's sessions, rejects another, pushes one of B's past the monthly cap, moves C
    to another OPD, adds D to the roster and makes E PPPK: every row says what changed, with file, row and decision."""
    from helpers import COACH, COACH_NAME, C, roster_file

    inp, out = folders
    d = "198001012005011005"

    e = "197512122000031003"

    def roster(people):
        return roster_file(inp / "pegawai.xlsx", [["NIP", "Nama", "Perangkat Daerah", "Status"], *people])

    everyone = [[A, "Ani", "Dinkes", "PNS"], [B, "Budi", "Dinkes", "PNS"], [C, "Citra", "Dinkes", "PNS"],
                [COACH, COACH_NAME, "Dinkes", "PNS"], [e, "Eko", "Dinkes", "PNS"]]  # fmt: skip
    roster(everyone)
    first = [*monthly(A, (1, 2, 3)), coaching_row(D(2025, 4, 19), B)]
    submission(inp, "dinkes.xlsx", opd="Dinkes", submitted=D(2025, 5, 2), coaching=first)
    rekap(inp, out)
    roster([*everyone[:2], [C, "Citra", "Bappeda", "PNS"], everyone[3], [d, "Dedi", "Dinkes", "PNS"],
            [e, "Eko", "Dinkes", "PPPK"]])  # fmt: skip
    second = [
        coaching_row(D(2025, 1, 5), A),
        coaching_row(D(2025, 2, 12), A),  # moved from 5 February
        coaching_row(D(2025, 3, 5), A, nama_pembimbing=None),  # now rejected
        *[coaching_row(D(2025, 4, day), B) for day in (5, 12, 19)],  # the 19th now over the cap
    ]
    submission(inp, "dinkes_revisi.xlsx", opd="Dinkes", submitted=D(2025, 5, 9), coaching=second)
    result = rekap(inp, out)
    why = {r["NIP"]: r["Sebab Perubahan"] for r in sheet_rows(out / "rekap_2025.xlsx", "Perubahan")}
    assert why == {
        A: "+1 sesi Coaching dihitung: dinkes_revisi.xlsx, sheet Coaching, baris 3; −1 sesi Coaching tidak "
        "dihitung lagi: dinkes.xlsx, sheet Coaching, baris 3 (sekarang: Diganti revisi: dinkes_revisi.xlsx); "
        "−1 sesi Coaching tidak dihitung lagi: dinkes.xlsx, sheet Coaching, baris 4 (sekarang: Ditolak: Isian "
        "wajib kosong (MISSING_REQUIRED))",
        B: "+2 sesi Coaching dihitung: dinkes_revisi.xlsx, sheet Coaching, baris 5 dan 6; −1 sesi Coaching tidak "
        "dihitung lagi: dinkes.xlsx, sheet Coaching, baris 5 (sekarang: Melebihi batas 2 sesi per bulan)",
        C: "Perangkat Daerah: Dinkes → Bappeda",
        d: "baru di Rekap Pegawai",
        e: "Status ASN: PNS → PPPK",
    }
    assert result.changed == 5


def test_session_reasons_compare_sessions_not_rows():
    import pandas as pd

    from pipeline.history import SESSION_FIELDS, session_reasons

    def detail(*rows):
        return pd.DataFrame([dict(zip(SESSION_FIELDS, r, strict=True)) for r in rows])

    before = detail(
        ["a.xlsx", "Coaching", 2, "Coaching", D(2025, 3, 3), A, B, "Dihitung", "", 4],
        ["a.xlsx", "Pengembangan Lain", 2, "Pelatihan Teknis", D(2025, 4, 1), A, None, "Dihitung", "", 24],
        [
            "a.xlsx",
            "Coaching",
            3,
            "Coaching",
            "31/02/2025",
            B,
            A,
            "Ditolak",
            "Ditolak: Tanggal tidak dikenali",
            0,
        ],
    )
    now = detail(
        [
            "b.xlsx",
            "Coaching",
            9,
            "Coaching",
            D(2025, 3, 3),
            A,
            B,
            "Dihitung",
            "",
            4,
        ],  # same session, other row
        ["b.xlsx", "Pengembangan Lain", 4, "Pelatihan Teknis", D(2025, 4, 1), A, None, "Dihitung", "", 16],
        [
            "b.xlsx",
            "Coaching",
            3,
            "Coaching",
            "31/02/2025",
            B,
            A,
            "Ditolak",
            "Ditolak: Tanggal tidak dikenali",
            0,
        ],
    )
    assert session_reasons(before, now) == {
        A: ["JP Pelatihan Teknis 24 → 16: b.xlsx, sheet Pengembangan Lain, baris 4"]
    }
    gone = session_reasons(before, now.iloc[1:])
    assert (
        gone[A][0]
        == "−1 sesi Coaching tidak dihitung lagi: a.xlsx, sheet Coaching, baris 2 (tidak ada lagi di berkas mana pun)"
    )


def test_a_revision_replaces_only_the_kinds_of_sheet_it_holds(folders):
    """A revision holding Coaching alone (the OPD deleted the other sheets) leaves the older version's
    Mentoring counted; the Coaching rows of the months it covers are replaced."""
    import openpyxl

    inp, out = folders
    both = {"coaching": monthly(A, (1, 2)), "mentoring": monthly(B, (1, 2))}
    submission(inp, "dinkes.xlsx", opd="Dinkes", submitted=D(2025, 3, 1), **both)
    path = submission(
        inp, "dinkes_revisi.xlsx", opd="Dinkes", submitted=D(2025, 3, 9), coaching=monthly(A, (1,))
    )
    book = openpyxl.load_workbook(path)
    for name in ("Mentoring", "Evaluasi Coaching", "Penilaian Mentor", "Pengembangan Lain"):
        del book[name]
    book.save(path)
    rekap(inp, out)
    assert jp_total(out) == {A: 4, B: 4}  # A's February replaced (deleted), B's two mentoring sessions kept


def test_coverage_of_a_newer_version_over_an_older_one():
    from pipeline.revisions import Coverage

    m = month_index
    older = Coverage(None, months_between(m(2025, 1), m(2025, 12)), frozenset({m(2024, 12)}))
    semester = Coverage(None, months_between(m(2025, 7), m(2025, 11)))
    # from its first month to the later last month of the two; the older one's out-of-year month too
    assert semester.over(older) == months_between(m(2025, 7), m(2025, 12)) | {m(2024, 12)}
    stated = Coverage(parse_period("Triwulan I 2025", 2025), months_between(m(2025, 7), m(2025, 9)))
    assert stated.over(older) == months_between(m(2025, 1), m(2025, 3)) | {m(2024, 12)}
    assert Coverage(None, frozenset()).over(older) == frozenset()


def test_sebab_perubahan_lists_twelve_reasons_then_counts_the_rest():
    import pandas as pd

    from pipeline.history import with_sessions

    moved = pd.DataFrame({"NIP": [A, B], "Sebab Perubahan": ["Perangkat Daerah: X → Y", ""]})
    why = {A: [f"alasan {i}" for i in range(13)], B: ["+1 sesi Coaching dihitung: a.xlsx"]}
    texts = with_sessions(moved, why)["Sebab Perubahan"].tolist()
    assert (
        texts[0]
        == "Perangkat Daerah: X → Y; "
        + "; ".join(f"alasan {i}" for i in range(11))
        + "; dan 2 perubahan lain"
    )
    assert texts[1] == "+1 sesi Coaching dihitung: a.xlsx"
