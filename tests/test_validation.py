"""One test per finding code: a clean submission has no finding; one mistake gives exactly its code, at its cell."""

import datetime as dt

import pandas as pd
import pytest
from helpers import (
    COACH,
    COACH_NAME,
    TODAY,
    A,
    B,
    C,
    coaching_row,
    rekap,
    roster_file,
    sheet_rows,
    submission,
)

D = dt.date


def findings(folder, out, **kwargs) -> pd.DataFrame:
    result = rekap(folder, out, year=2025, **kwargs)
    return result.report


def clean_rows() -> dict:
    return {
        "coaching": [coaching_row(D(2025, 3, 3), pangkat_penerima="III/a", pangkat_pembimbing="IV/a")],
        "mentoring": [
            coaching_row(D(2025, 3, 4), recipient=B, pangkat_penerima="III/a", pangkat_pembimbing="IV/b")
        ],
        "evaluasi": [
            {
                "tanggal": D(2025, 3, 3),
                "nip_penerima": A,
                "nip_pembimbing": COACH,
                **{f"p{i}": 3 for i in range(1, 10)},
            }
        ],
        "penilaian": [
            {"tanggal": D(2025, 3, 4), "nip_penerima": B, "nip_pembimbing": COACH, "penilaian": "Mampu"}
        ],
        "lain": [
            {"nip_penerima": C, "nama_penerima": "Pegawai 1001", "jenis": "Seminar", "tanggal": D(2025, 5, 5)}
        ],
    }


def test_clean_submission_has_no_finding(folders):
    inp, out = folders
    submission(inp, "opd.xlsx", **clean_rows())
    assert findings(inp, out).empty


# (sheet kind, field, bad value, code, Excel column letter as in the template)
CELL_CASES = [
    ("coaching", "tanggal", None, "MISSING_REQUIRED", "B"),
    ("coaching", "nip_penerima", None, "MISSING_REQUIRED", "C"),
    ("coaching", "nama_pembimbing", None, "MISSING_REQUIRED", "I"),
    ("coaching", "nip_penerima", "19850312201001200", "NIP_FORMAT", "C"),
    ("coaching", "nip_penerima", "1985031220100120AB", "NIP_FORMAT", "C"),
    ("coaching", "nip_penerima", 198503122010012004.0, "NIP_NUMERIC_PRECISION", "C"),
    ("coaching", "nip_penerima", "198502302010012004", "NIP_BIRTHDATE", "C"),
    ("coaching", "nip_penerima", "193001012010012004", "NIP_BIRTHDATE", "C"),
    ("coaching", "nip_penerima", "198503121995012004", "NIP_TMT", "C"),
    ("coaching", "nip_penerima", "198503122010132004", "NIP_TMT", "C"),
    ("coaching", "nip_penerima", "198503122010013004", "NIP_GENDER", "C"),
    ("coaching", "tanggal", "31/02/2025", "DATE_INVALID", "B"),
    ("coaching", "tanggal", "kemarin", "DATE_INVALID", "B"),
    ("coaching", "tanggal", D(2026, 2, 1), "DATE_FUTURE", "B"),
    ("coaching", "tanggal", D(2024, 12, 31), "DATE_OUT_OF_PERIOD", "B"),
    ("coaching", "nip_pembimbing", A, "SAME_PERSON", "H"),
    ("coaching", "pangkat_penerima", "Golongan Z", "PANGKAT_UNKNOWN", "E"),
    ("coaching", "bukti", None, "EVIDENCE_MISSING", "R"),
    ("mentoring", "pangkat_pembimbing", "II/c", "MENTOR_JUNIOR", "J"),
    ("mentoring", "nama_penerima", "Orang Lain", "NAME_MISMATCH", "D"),
    ("evaluasi", "p5", 4, "SCORE_RANGE", "I"),
    ("evaluasi", "p9", 2.5, "SCORE_RANGE", "M"),
    ("evaluasi", "p1", None, "SCORE_RANGE", "E"),
    ("penilaian", "penilaian", "Cukup", "ASSESSMENT_VALUE", "E"),
    ("lain", "jenis", "Rapat Koordinasi", "UNKNOWN_ACTIVITY", "D"),
]


# (code, field, bad value) -> the exact Pesan and Saran Perbaikan the OPD reads
CELL_TEXTS = {
    ("MISSING_REQUIRED", "tanggal", None): (
        "Kolom Tanggal wajib diisi tetapi kosong. Baris ini tidak dihitung.",
        "Lengkapi Tanggal pada baris ini.",
    ),
    ("MISSING_REQUIRED", "nip_penerima", None): (
        "Kolom NIP Coachee wajib diisi tetapi kosong. Baris ini tidak dihitung.",
        "Lengkapi NIP Coachee pada baris ini.",
    ),
    ("MISSING_REQUIRED", "nama_pembimbing", None): (
        "Kolom Nama Coach wajib diisi tetapi kosong. Baris ini tidak dihitung.",
        "Lengkapi Nama Coach pada baris ini.",
    ),
    ("NIP_FORMAT", "nip_penerima", "19850312201001200"): (
        "NIP '19850312201001200' pada kolom NIP Coachee bukan 18 digit (17 digit). Baris ini tidak dihitung.",
        "Periksa kembali NIP pada SK/kartu pegawai; NIP terdiri dari 18 angka.",
    ),
    ("NIP_FORMAT", "nip_penerima", "1985031220100120AB"): (
        "NIP '1985031220100120AB' pada kolom NIP Coachee bukan 18 digit (16 digit). Baris ini tidak dihitung.",
        "Periksa kembali NIP pada SK/kartu pegawai; NIP terdiri dari 18 angka.",
    ),
    ("NIP_NUMERIC_PRECISION", "nip_penerima", 1.98503122010012e17): (
        "NIP pada kolom NIP Coachee tersimpan sebagai angka (1.98503122010012e+17); Excel hanya menyimpan 15 digit sehingga digit terakhir hilang. Baris ini tidak dihitung.",
        "Format kolom NIP sebagai Teks (Format Cells > Text) lalu ketik ulang NIP lengkap 18 digit.",
    ),
    ("NIP_BIRTHDATE", "nip_penerima", "198502302010012004"): (
        "NIP '198502302010012004': digit 1-8 (19850230) bukan tanggal lahir yang sah. Baris ini tidak dihitung.",
        "Digit 1-8 NIP adalah tanggal lahir (TTTTBBHH). Periksa kembali NIP pada SK/kartu pegawai.",
    ),
    ("NIP_BIRTHDATE", "nip_penerima", "193001012010012004"): (
        "NIP '193001012010012004': digit 1-8 (19300101) bukan tanggal lahir yang sah. Baris ini tidak dihitung.",
        "Digit 1-8 NIP adalah tanggal lahir (TTTTBBHH). Periksa kembali NIP pada SK/kartu pegawai.",
    ),
    ("NIP_TMT", "nip_penerima", "198503121995012004"): (
        "NIP '198503121995012004': digit 9-14 (199501) bukan TMT pengangkatan yang sah. Baris ini tidak dihitung.",
        "Digit 9-14 NIP adalah tahun dan bulan pengangkatan. Periksa kembali NIP pada SK/kartu pegawai.",
    ),
    ("NIP_TMT", "nip_penerima", "198503122010132004"): (
        "NIP '198503122010132004': digit 9-14 (201013) bukan TMT pengangkatan yang sah. Baris ini tidak dihitung.",
        "Digit 9-14 NIP adalah tahun dan bulan pengangkatan. Periksa kembali NIP pada SK/kartu pegawai.",
    ),
    ("NIP_GENDER", "nip_penerima", "198503122010013004"): (
        "NIP '198503122010013004': digit ke-15 (3) harus 1 atau 2. Baris ini tidak dihitung.",
        "Digit ke-15 NIP adalah kode jenis kelamin (1 atau 2). Periksa kembali NIP.",
    ),
    ("DATE_INVALID", "tanggal", "31/02/2025"): (
        "'31/02/2025' pada kolom Tanggal bukan tanggal yang dikenali. Baris ini tidak dihitung.",
        "Tulis tanggal sebagai tanggal Excel atau dd/mm/yyyy, mis. 03/03/2025 atau 3 Maret 2025.",
    ),
    ("DATE_INVALID", "tanggal", "kemarin"): (
        "'kemarin' pada kolom Tanggal bukan tanggal yang dikenali. Baris ini tidak dihitung.",
        "Tulis tanggal sebagai tanggal Excel atau dd/mm/yyyy, mis. 03/03/2025 atau 3 Maret 2025.",
    ),
    ("DATE_FUTURE", "tanggal", D(2026, 2, 1)): (
        "Tanggal 01/02/2026 pada kolom Tanggal belum terjadi (setelah 15/01/2026). Baris ini tidak dihitung.",
        "Periksa tahun dan bulan tanggal kegiatan.",
    ),
    ("DATE_OUT_OF_PERIOD", "tanggal", D(2024, 12, 31)): (
        "Tanggal 31/12/2024 di luar tahun laporan 2025; baris tidak dihitung.",
        "Laporkan kegiatan ini pada rekap tahun yang sesuai, atau perbaiki tahunnya.",
    ),
    ("SAME_PERSON", "nip_pembimbing", "198503122010012004"): (
        "NIP pembimbing sama dengan NIP penerima (198503122010012004). Baris ini tidak dihitung.",
        "Isi NIP coach/mentor dengan NIP orang yang membimbing, bukan NIP penerima.",
    ),
    ("PANGKAT_UNKNOWN", "pangkat_penerima", "Golongan Z"): (
        "Pangkat/golongan 'Golongan Z' pada kolom Pangkat/Gol Coachee tidak dikenali.",
        "Tulis golongan seperti III/a (PNS) atau IX (PPPK).",
    ),
    ("EVIDENCE_MISSING", "bukti", None): (
        "Kolom Bukti kosong.",
        "Lampirkan tautan/nama berkas bukti kegiatan (formulir yang ditandatangani).",
    ),
    ("MENTOR_JUNIOR", "pangkat_pembimbing", "II/c"): (
        "Golongan mentor (II/c) lebih rendah dari golongan mentee (III/a).",
        "Mentor semestinya pegawai yang lebih senior; periksa kembali data mentor.",
    ),
    ("NAME_MISMATCH", "nama_penerima", "Orang Lain"): (
        "Nama 'Orang Lain' berbeda dengan nama 'Pegawai 1002' untuk NIP yang sama.",
        "Samakan penulisan nama dengan Data Pegawai/SK.",
    ),
    ("SCORE_RANGE", "p5", 4): (
        "Nilai '4' pada kolom P5 harus bilangan bulat 1, 2 atau 3. Baris ini tidak dihitung.",
        "Isi 1 (tidak setuju), 2 (netral) atau 3 (setuju).",
    ),
    ("SCORE_RANGE", "p9", 2.5): (
        "Nilai '2.5' pada kolom P9 harus bilangan bulat 1, 2 atau 3. Baris ini tidak dihitung.",
        "Isi 1 (tidak setuju), 2 (netral) atau 3 (setuju).",
    ),
    ("SCORE_RANGE", "p1", None): (
        "Nilai (kosong) pada kolom P1 harus bilangan bulat 1, 2 atau 3. Baris ini tidak dihitung.",
        "Isi 1 (tidak setuju), 2 (netral) atau 3 (setuju).",
    ),
    ("ASSESSMENT_VALUE", "penilaian", "Cukup"): (
        "Penilaian 'Cukup' tidak dikenali. Baris ini tidak dihitung.",
        "Isi salah satu: Sangat Mampu, Mampu, Kurang Mampu, Tidak Mampu.",
    ),
    ("UNKNOWN_ACTIVITY", "jenis", "Rapat Koordinasi"): (
        "Jenis kegiatan 'Rapat Koordinasi' bukan bentuk pengembangan kompetensi dalam tabel konversi JP (profil "
        "nganjuk-2025). Baris ini tidak dihitung.",
        "Bila baris ini rapat atau kegiatan lain yang bukan pengembangan kompetensi, hapus barisnya; bila "
        "pengembangan kompetensi, pilih jenisnya dari daftar di sheet Petunjuk pada template.",
    ),
}


@pytest.mark.parametrize(("kind", "field", "value", "code", "letter"), CELL_CASES)
def test_one_mistake_one_finding_at_its_cell(folders, kind, field, value, code, letter):
    inp, out = folders
    rows = clean_rows()
    rows[kind].append(dict(rows[kind][0], **{field: value}))
    if field != "tanggal" and kind in ("coaching", "mentoring"):
        rows[kind][-1]["tanggal"] = D(2025, 4, 4)  # not a duplicate of the clean row
    if code == "SAME_PERSON":
        rows[kind][-1]["nama_pembimbing"] = rows[kind][-1]["nama_penerima"]
    submission(inp, "opd.xlsx", **rows)
    found = findings(inp, out)
    assert found[["Kode", "Baris", "Kolom"]].values.tolist() == [[code, 3, letter]]
    assert (found["Pesan"].iloc[0], found["Saran Perbaikan"].iloc[0]) == CELL_TEXTS[code, field, value]


def test_duplicate_and_monthly_cap_findings(folders):
    inp, out = folders
    rows = clean_rows()
    rows["coaching"] += [
        coaching_row(D(2025, 3, 3)),
        coaching_row(D(2025, 3, 10)),
        coaching_row(D(2025, 3, 17)),
    ]
    submission(inp, "opd.xlsx", **rows)
    found = findings(inp, out)
    assert found[["Kode", "Baris", "Kolom"]].values.tolist() == [
        ["DUPLICATE_SESSION", 3, "B"],
        ["MONTHLY_CAP", 5, "B"],
    ]
    assert found[["Pesan", "Saran Perbaikan"]].values.tolist() == [
        [
            "Sesi yang sama sudah dilaporkan di opd.xlsx, sheet Coaching, baris 2; baris ini tidak dihitung.",
            "Hapus baris ganda, atau perbaiki tanggal/NIP bila memang sesi yang berbeda.",
        ],
        [
            "Melebihi batas 2 sesi per bulan untuk penerima ini; yang dihitung pada bulan itu: opd.xlsx, sheet "
            "Coaching, baris 2 dan 4. Baris ini tidak menambah JP.",
            "Tidak perlu diperbaiki bila sesinya benar; batas bulanan diatur dalam pedoman.",
        ],
    ]


def test_not_in_roster_and_late_report(folders, tmp_path):
    inp, out = folders
    rows = clean_rows()
    roster = roster_file(
        tmp_path / "pegawai.xlsx",
        [["NIP", "Nama"], [A, "Pegawai 2004"], [B, "Pegawai 1002"], [COACH, COACH_NAME]],
    )
    path = inp / "opd.xlsx"
    from pipeline.profiles import load_profile
    from pipeline.template import write_template

    write_template(
        path,
        load_profile("nganjuk-2025"),
        {"opd": "Dinas Uji", "tahun": 2025, "tanggal_penyerahan": dt.datetime(2025, 4, 10)},
        rows,
    )
    found = findings(inp, out, roster=roster)
    # both sessions (3 and 4 March) were reported on 10 April, more than a month later
    assert sorted(found["Kode"]) == ["LATE_REPORT", "LATE_REPORT", "NOT_IN_ROSTER"]
    assert found.set_index("Kode").loc["NOT_IN_ROSTER", "Sheet"] == "Pengembangan Lain"
    late = found[found["Kode"].eq("LATE_REPORT")]
    # once per sheet of sessions, at Identitas › Tanggal Penyerahan (B4 of the template), not at every date
    assert (
        late[["Sheet", "Baris", "Kolom", "Nilai"]].values.tolist()
        == [["Identitas", 4, "B", "10/04/2025"]] * 2
    )
    assert late["Pesan"].tolist() == [
        "Diserahkan 10/04/2025: 1 sesi di sheet Coaching (3 Maret 2025) dilaporkan lebih dari 1 bulan setelah "
        "kegiatan, melewati batas pedoman (1 bulan). Sesi-sesi itu tetap dihitung.",
        "Diserahkan 10/04/2025: 1 sesi di sheet Mentoring (4 Maret 2025) dilaporkan lebih dari 1 bulan setelah "
        "kegiatan, melewati batas pedoman (1 bulan). Sesi-sesi itu tetap dihitung.",
    ]
    texts = found.drop_duplicates("Kode").set_index("Kode")[["Pesan", "Saran Perbaikan"]]
    assert texts.loc["LATE_REPORT", "Saran Perbaikan"] == (
        "Tidak perlu mengubah berkas ini; laporkan sesi berikutnya dalam batas waktu pedoman (tertulis di sheet "
        "Petunjuk pada template)."
    )
    assert texts.loc["NOT_IN_ROSTER"].tolist() == [
        f"NIP {C} pada kolom NIP tidak ada di Data Pegawai.",
        "Periksa NIP, atau tambahkan pegawai ke Data Pegawai bila memang pegawai baru.",
    ]
    # Pangkalpinang has no per-session deadline
    assert "LATE_REPORT" not in set(findings(inp, out, roster=roster, profile="pangkalpinang-2023")["Kode"])


def test_rejected_rows_get_zero_and_reconcile(folders):
    inp, out = folders
    rows = clean_rows()
    rows["coaching"].append(dict(rows["coaching"][0], nip_penerima="123", tanggal="bukan tanggal"))
    submission(inp, "opd.xlsx", **rows)
    result = rekap(inp, out, year=2025)
    r = result.reconciliation
    assert r["rejected"] == 1
    assert r["rows_read"] == r["counted"] + r["capped"] + r["duplicate"] + r["out_of_period"] + r["rejected"]
    # one finding per bad cell, not a cascade
    assert sorted(result.report["Kode"]) == ["DATE_INVALID", "NIP_FORMAT"]
    rejected = [r for r in sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan") if r["Status"] == "Ditolak"]
    assert [(r["Baris"], r["JP"], r["Keterangan"]) for r in rejected] == [
        (3, 0, "Ditolak: NIP bukan 18 digit (NIP_FORMAT), Tanggal tidak dikenali (DATE_INVALID)")
    ]


def test_today_is_the_future_limit():
    assert D(2026, 1, 15) == TODAY


PPPK = "199001152022211001"  # digits 13-14 "21": a PPPK number


def test_a_pppk_recipient_is_warned_about_where_the_profile_says_pns_and_still_counts(folders):
    from helpers import rekap, submission

    inp, out = folders
    submission(
        inp,
        "a.xlsx",
        profile="pangkalpinang-2023",
        coaching=[coaching_row(dt.date(2025, 3, 3), PPPK), coaching_row(dt.date(2025, 3, 4))],
    )
    result = rekap(inp, out, profile="pangkalpinang-2023")
    found = result.report[result.report["Kode"].eq("PENERIMA_PPPK")]
    assert list(zip(found["Baris"], found["Kolom"], found["Tingkat"], strict=True)) == [
        (2, "C", "Peringatan")
    ]
    assert found["Pesan"].iloc[0] == (
        f"Penerima {PPPK} adalah PPPK, sedangkan pedoman menyebut coachee/mentee adalah PNS; sesi tetap dihitung."
    )
    assert result.reconciliation["counted"] == 2
    nganjuk = rekap(inp, out / "nganjuk")  # the Nganjuk guideline says nothing of the kind
    assert not nganjuk.report["Kode"].eq("PENERIMA_PPPK").any()


def test_the_ip_asn_indicator_is_for_pns_only(folders):
    from helpers import by_nip, rekap, sheet_rows, submission

    inp, out = folders
    five = [dt.date(2025, m, 3) for m in range(1, 6)]  # 20 JP each
    submission(inp, "a.xlsx", coaching=[coaching_row(d, r) for d in five for r in (PPPK, A)])
    rekap(inp, out)
    rows = by_nip(sheet_rows(out / "ip_asn_2025.xlsx", "Indikator Kompetensi"))
    assert rows[PPPK]["Nilai Indikator 20 JP"] == "Tidak berlaku (PPPK)"
    assert rows[A]["Nilai Indikator 20 JP"] is None  # PNS, jenis jabatan unknown without a roster


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("PEGAWAI 1002", []),  # case
        ("Pegawai  1002.", []),  # spacing and punctuation
        ("Pegawai-1002", []),
        ("Pegawai 1003", ["NAME_MISMATCH"]),  # another name
    ],
)
def test_a_name_typed_differently_is_the_same_name_a_different_one_is_not(folders, typed, codes):
    inp, out = folders
    rows = clean_rows()
    rows["mentoring"].append(dict(rows["mentoring"][0], tanggal=D(2025, 4, 4), nama_penerima=typed))
    submission(inp, "opd.xlsx", **rows)
    assert findings(inp, out)["Kode"].tolist() == codes


def test_a_bad_nip_in_several_rows_is_found_in_each(folders):
    """NIP structure is checked once per distinct NIP; every row that holds a failing one gets its finding."""
    inp, out = folders
    rows = clean_rows()
    bad = "198502302010012004"  # 30 February
    rows["coaching"] += [
        dict(rows["coaching"][0], nip_penerima=bad, tanggal=D(2025, m, 4)) for m in (4, 5, 6)
    ]
    rows["coaching"].append(
        dict(rows["coaching"][0], nip_penerima="198503122010013004", tanggal=D(2025, 7, 4))
    )
    submission(inp, "opd.xlsx", **rows)
    found = findings(inp, out)
    assert found[["Kode", "Baris", "Kolom"]].values.tolist() == [
        ["NIP_BIRTHDATE", 3, "C"], ["NIP_BIRTHDATE", 4, "C"], ["NIP_BIRTHDATE", 5, "C"], ["NIP_GENDER", 6, "C"],
    ]  # fmt: skip
    assert found["Pesan"].iloc[0] == CELL_TEXTS["NIP_BIRTHDATE", "nip_penerima", bad][0]
    assert found["Pesan"].iloc[3] == CELL_TEXTS["NIP_GENDER", "nip_penerima", "198503122010013004"][0]


def test_name_mismatch_compares_with_the_roster_else_the_first_row_and_lists_recipients_first():
    """The reference name of a NIP is the roster's, else the one in its first row (by uid, the pembimbing's
    before the penerima's of the same row); findings list every penerima, then every pembimbing, by uid."""
    from pipeline.validate import check_name_mismatch

    x, y = "198503122010011001", "198604132011012002"
    acts = pd.DataFrame(
        {
            "uid": [3, 1, 2],  # not in uid order
            "file": "a.xlsx",
            "sheet": "Coaching",
            "row": [4, 2, 3],
            "nip_penerima": pd.array([y, x, y], dtype="string"),
            "nama_penerima": pd.array(["Dewi", "Budi", "Citra"], dtype="string"),
            "nip_pembimbing": pd.array([x, x, None], dtype="string"),
            "nama_pembimbing": pd.array(["ani.", "Ani", "Eka"], dtype="string"),
        }
    )

    def listed(roster):
        found = check_name_mismatch(acts, roster)
        return found[["uid", "field", "value", "detail"]].values.tolist()

    assert listed(None) == [
        [1, "nama_penerima", "Budi", "Ani"],  # same row: the pembimbing's name came first
        [3, "nama_penerima", "Dewi", "Citra"],  # y first appears in uid 2
    ]
    roster = pd.DataFrame({"nip": pd.array([x], dtype="string"), "nama": pd.array(["Budi"], dtype="string")})
    assert listed(roster) == [
        [3, "nama_penerima", "Dewi", "Citra"],
        [1, "nama_pembimbing", "Ani", "Budi"],
        [3, "nama_pembimbing", "ani.", "Budi"],
    ]


def test_each_finding_gets_the_message_of_its_own_column_and_value():
    """Messages are formatted once per distinct finding; two findings alike but for the column (or the
    value) still read differently, and a repeated one reads the same."""
    from pipeline.findings import render

    findings = pd.DataFrame(
        {
            "file": "a.xlsx", "sheet": "Coaching", "row": [2, 3, 4, 5],
            "code": ["MISSING_REQUIRED", "MISSING_REQUIRED", "MISSING_REQUIRED", "NIP_FORMAT"],
            "value": ["", "", "", "123"], "detail": ["", "", "", "3 digit"], "proposal": ["", "", "", "x"],
        }
    )  # fmt: skip
    labels = pd.Series(["NIP Coachee", "Tanggal", "NIP Coachee", "NIP Coachee"])
    table = render(findings, labels, pd.Series(["C", "B", "C", "C"]))
    assert table["Pesan"].tolist()[:3] == [
        "Kolom NIP Coachee wajib diisi tetapi kosong. Baris ini tidak dihitung.",
        "Kolom Tanggal wajib diisi tetapi kosong. Baris ini tidak dihitung.",
        "Kolom NIP Coachee wajib diisi tetapi kosong. Baris ini tidak dihitung.",
    ]
    assert table["Pesan"].iloc[3].endswith("(3 digit). Mungkin maksudnya x. Baris ini tidak dihitung.")
    assert table["Saran Perbaikan"].tolist()[1] == "Lengkapi Tanggal pada baris ini."
    assert "'123'" in table["Pesan"].iloc[3] and "3 digit" in table["Pesan"].iloc[3]
