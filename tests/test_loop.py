"""The correction loop as the analyst lives it: revisions replace the original, earlier runs move to riwayat/,
each run says what changed, each OPD gets one folder back, and nothing the program wrote is read again."""

import datetime as dt
import json
import os
import shutil
import stat

import pytest
from helpers import COACH, A, B, C, by_nip, coaching_row, rekap, sheet_rows, submission

from pipeline import run as run_module
from pipeline.cli import main
from pipeline.revisions import revision_rank
from pipeline.usage import OutputNotWritable

D = dt.date
SCORES = {f"p{i}": 3 for i in range(1, 10)}


def sessions(*days, recipient=A, month=1):
    """One coaching session per day given, each in its own month from `month` on (so no cap applies)."""
    return [coaching_row(D(2025, month + i, d), recipient) for i, d in enumerate(days)]


def statuses(out):
    return {
        (r["File"], r["Baris"]): r["Status"] for r in sheet_rows(out / "rekap_2025.xlsx", "Detail Kegiatan")
    }


def manifest(out):
    return json.loads((out / "manifest_2025.json").read_text())


def superseded_finding(result, file):
    rows = result.report[result.report["File"].eq(file) & result.report["Kode"].eq("SUBMISSION_SUPERSEDED")]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("name", "rank"),
    [
        ("dinas_kesehatan_2025.xlsx", 0),
        ("dinas_kesehatan_2025_revisi.xlsx", 1),
        ("Dinas Kesehatan 2025 (Revisi 2).xlsx", 2),
        ("dinkes_rev3.xlsx", 3),
        ("dinkes_2025_v2.xlsx", 2),
        ("dinkes perbaikan.xlsx", 1),
        ("dinas_kesehatan_2025_ditandai.xlsx", 1),
        ("laporan_review_2025.xlsx", 0),
        ("kiriman/v2025.xlsx", 0),
        ("perbaikan/dinkes.xlsx", 1),
    ],
)
def test_revision_rank_reads_the_file_name(name, rank):
    assert revision_rank(name) == rank


def test_a_revision_supersedes_the_original_by_its_name(folders):
    inp, out = folders
    submitted = D(2025, 12, 20)
    submission(inp, "dinkes.xlsx", opd="Dinas Kesehatan", submitted=submitted, coaching=sessions(3, 10, 17))
    # the revision moves one date and drops one session: 2 of 3 keys shared
    submission(
        inp, "dinkes_revisi.xlsx", opd="Dinas Kesehatan", submitted=submitted, coaching=sessions(3, 11)
    )
    result = rekap(inp, out)
    assert statuses(out) == {
        ("dinkes.xlsx", 2): "Diganti Revisi",
        ("dinkes.xlsx", 3): "Diganti Revisi",
        ("dinkes.xlsx", 4): "Diganti Revisi",
        ("dinkes_revisi.xlsx", 2): "Dihitung",
        ("dinkes_revisi.xlsx", 3): "Dihitung",
    }
    finding = superseded_finding(result, "dinkes.xlsx")
    assert finding["Tingkat"] == "Peringatan"
    assert finding["Pesan"] == (
        "Berkas ini versi lama dan diganti oleh revisinya 'dinkes_revisi.xlsx' untuk Januari–Maret 2025 (nama "
        "berkas menandai revisi); baris berkas ini pada bulan-bulan itu berstatus Diganti Revisi, 0 JP."
    )
    assert finding["Saran Perbaikan"] == (
        "Bila keputusan ini keliru, keluarkan berkas yang tidak berlaku dari folder masukan lalu jalankan ulang."
    )
    assert by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))[A]["JP Total"] == 8
    inputs = {i["path"]: i["status"] for i in manifest(out)["inputs"]}
    assert inputs == {"dinkes.xlsx": "superseded by dinkes_revisi.xlsx", "dinkes_revisi.xlsx": "read"}


def test_the_later_tanggal_penyerahan_wins_over_the_name(folders):
    inp, out = folders
    submission(inp, "dinkes_revisi.xlsx", opd="Dinkes", submitted=D(2025, 12, 1), coaching=sessions(3, 10))
    submission(inp, "dinkes.xlsx", opd="Dinkes", submitted=D(2026, 1, 5), coaching=sessions(3, 10, 17))
    result = rekap(inp, out)
    assert result.reconciliation["superseded"] == 2 and result.reconciliation["counted"] == 3
    assert superseded_finding(result, "dinkes_revisi.xlsx")["Pesan"] == (
        "Berkas ini versi lama dan diganti oleh revisinya 'dinkes.xlsx' untuk Januari–Maret 2025 (Tanggal "
        "Penyerahan lebih baru: 05/01/2026 dibanding 01/12/2025); baris berkas ini pada bulan-bulan itu "
        "berstatus Diganti Revisi, 0 JP."
    )


def test_without_date_or_name_mark_the_later_saved_file_wins(folders):
    inp, out = folders
    old = submission(inp, "dinkes_b.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17))
    new = submission(inp, "dinkes_a.xlsx", opd="Dinkes", coaching=sessions(3, 10))
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_500, 1_700_000_500))
    result = rekap(inp, out)
    assert "waktu simpan berkas lebih baru" in superseded_finding(result, "dinkes_b.xlsx")["Pesan"]
    assert result.reconciliation["counted"] == 2


def test_files_sharing_fewer_than_half_their_sessions_stay_separate(folders):
    inp, out = folders
    # one file per semester: no session in common
    submission(inp, "dinkes_1.xlsx", opd="Dinkes", coaching=sessions(3, 10, month=1))
    submission(inp, "dinkes_2.xlsx", opd="Dinkes", coaching=sessions(3, 10, month=7))
    # exactly half of the smaller file's 4 sessions shared: a version; 1 of 3 shared: separate
    submission(inp, "bappeda.xlsx", opd="Bappeda", coaching=sessions(3, 10, 17, 24, recipient=B))
    submission(inp, "bappeda_v2.xlsx", opd="Bappeda", coaching=sessions(3, 10, 18, 25, recipient=B))
    submission(inp, "pupr.xlsx", opd="PUPR", coaching=sessions(3, 10, 17, recipient=C))
    submission(inp, "pupr_v2.xlsx", opd="PUPR", coaching=sessions(3, 11, 18, recipient=C))
    result = rekap(inp, out)
    inputs = {i["path"]: i["status"] for i in manifest(out)["inputs"]}
    assert inputs["dinkes_1.xlsx"] == inputs["dinkes_2.xlsx"] == "read"
    assert inputs["bappeda.xlsx"] == "superseded by bappeda_v2.xlsx"
    assert inputs["pupr.xlsx"] == inputs["pupr_v2.xlsx"] == "read"
    assert result.reconciliation["superseded"] == 4


def test_a_chain_of_three_versions_resolves_to_the_newest(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17, 24))
    submission(inp, "dinkes_revisi.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17, 25))
    submission(inp, "dinkes_revisi_2.xlsx", opd="Dinkes", coaching=sessions(3, 10, 18, 25))
    result = rekap(inp, out)
    inputs = {i["path"]: i["status"] for i in manifest(out)["inputs"]}
    assert inputs == {
        "dinkes.xlsx": "superseded by dinkes_revisi_2.xlsx",
        "dinkes_revisi.xlsx": "superseded by dinkes_revisi_2.xlsx",
        "dinkes_revisi_2.xlsx": "read",
    }
    assert result.reconciliation == {
        "rows_read": 12,
        "counted": 4,
        "capped": 0,
        "duplicate": 0,
        "out_of_period": 0,
        "rejected": 0,
        "superseded": 8,
    }


def test_an_older_versions_evaluations_and_findings_are_superseded_too(folders):
    inp, out = folders
    evaluation = {"tanggal": D(2025, 3, 3), "nip_penerima": A, "nip_pembimbing": COACH, **SCORES}
    bad = coaching_row(D(2025, 3, 24), nip_penerima="123")  # a Kesalahan the revision fixed
    # first row of the first file: the very first row read, so also the one whose id is 0
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[bad, *sessions(3, 10)], evaluasi=[evaluation])
    submission(inp, "dinkes_revisi.xlsx", opd="Dinkes", coaching=sessions(3, 10, 24), evaluasi=[evaluation])
    result = rekap(inp, out)
    assert manifest(out)["evaluations"] == {
        "rows_read": 2,
        "accepted": 1,
        "rejected": 0,
        "duplicate": 0,
        "superseded": 1,
        "reconciles": True,
    }
    assert list(result.report["Kode"]) == ["SUBMISSION_SUPERSEDED"]  # the old NIP_FORMAT is not reported
    coach = sheet_rows(out / "rekap_2025.xlsx", "Evaluasi Coach")[0]
    assert (coach["Jumlah Sesi"], coach["Jumlah Evaluasi"]) == (3, 1)
    # the old version is not marked and not sent back; its report names its replacement
    assert not (out / "validasi" / "dinkes_ditandai.xlsx").exists()
    assert sorted(p.name for p in (out / "kirim_opd" / "Dinkes").iterdir()) == [
        "dinkes_revisi_validasi.xlsx",
        "dinkes_validasi.xlsx",  # it tells the OPD which of its files was used
        "kartu_pengendalian_2025.xlsx",
    ]
    assert [t["Kode"] for t in sheet_rows(out / "validasi" / "dinkes_validasi.xlsx", "Temuan")] == [
        "SUBMISSION_SUPERSEDED"
    ]


def test_a_second_run_moves_the_first_to_riwayat_and_says_what_changed(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17, 24) + sessions(3, recipient=B))
    first = rekap(inp, out)
    assert first.changed is None
    assert "Perubahan" not in _sheet_names(out / "rekap_2025.xlsx")
    first_manifest = (out / "manifest_2025.json").read_bytes()
    stamp = dt.datetime.fromtimestamp((out / "manifest_2025.json").stat().st_mtime).strftime("%Y%m%d-%H%M%S")

    # the OPD drops B's session and adds one for C; A's four sessions stay
    submission(
        inp, "dinkes_revisi.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17, 24) + sessions(5, recipient=C)
    )
    second = rekap(inp, out)
    old = out / "riwayat" / stamp
    assert (old / "manifest_2025.json").read_bytes() == first_manifest
    assert {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()} == {
        "manifest_2025.json",
        "rekap_2025.xlsx",
        "ip_asn_2025.xlsx",
        "validasi/ringkasan_validasi_2025.xlsx",
        "validasi/dinkes_validasi.xlsx",
        "kirim_opd/Dinkes/kartu_pengendalian_2025.xlsx",
        "kirim_opd/Dinkes/dinkes_validasi.xlsx",
        "sertifikat_2025/Dinkes.pdf",
        "kartu_2025/Dinkes.pdf",
    }
    changes = sheet_rows(out / "rekap_2025.xlsx", "Perubahan")
    assert [tuple(r.values()) for r in changes] == [  # by OPD, then NIP
        (C, "Pegawai 1001", "Dinkes", 0, 4, 4, "Belum Terpenuhi", "Belum Terpenuhi",
         "baru di Rekap Pegawai; +1 sesi Coaching dihitung: dinkes_revisi.xlsx, sheet Coaching, baris 6"),
        (B, "Pegawai 1002", "Dinkes", 4, 0, -4, "Belum Terpenuhi", "Belum Terpenuhi",
         "−1 sesi Coaching tidak dihitung lagi: dinkes.xlsx, sheet Coaching, baris 6 (sekarang: Diganti "
         "revisi: dinkes_revisi.xlsx)"),
    ]  # fmt: skip
    assert second.changed == 2
    ringkasan = {r[0]: r[1] for r in _rows(out / "rekap_2025.xlsx", "Ringkasan") if r and r[0]}
    assert ringkasan["Dibandingkan dengan run sebelumnya"] == f"riwayat/{stamp}"
    assert ringkasan["Pegawai memenuhi 20 JP (sebelumnya → sekarang)"] == "0 → 0"
    assert ringkasan["Baris dihitung (sebelumnya → sekarang)"] == "5 → 5"
    assert ringkasan["Diganti Revisi"] == 5


def test_a_run_with_nothing_changed_has_an_empty_perubahan(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17, 24, 25, 26))
    rekap(inp, out)
    again = rekap(inp, out)
    assert again.changed == 0
    assert sheet_rows(out / "rekap_2025.xlsx", "Perubahan") == []
    assert len(list((out / "riwayat").iterdir())) == 1


def test_a_run_that_fails_while_writing_leaves_the_previous_outputs_in_place(folders, monkeypatch):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3, 10))
    rekap(inp, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(run_module, "copy_packages", broken)
    submission(inp, "dinkes_revisi.xlsx", opd="Dinkes", coaching=sessions(3, 11))
    with pytest.raises(OutputNotWritable, match="disk penuh"):
        rekap(inp, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not (out / "riwayat").exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_kirim_opd_holds_each_opds_marked_copies_findings_and_kartu(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinas Kesehatan", coaching=[*sessions(3), coaching_row("salah")])
    submission(inp, "pupr.xlsx", opd="Dinas PU/PR", coaching=sessions(4, recipient=B))
    rekap(inp, out)
    dinkes = out / "kirim_opd" / "Dinas Kesehatan"
    assert sorted(p.name for p in dinkes.iterdir()) == [
        "dinkes_ditandai.xlsx",
        "dinkes_validasi.xlsx",
        "kartu_pengendalian_2025.xlsx",
    ]
    assert [t["Kode"] for t in sheet_rows(dinkes / "dinkes_validasi.xlsx", "Temuan")] == ["DATE_INVALID"]
    kartu = sheet_rows(dinkes / "kartu_pengendalian_2025.xlsx", "Kartu Pengendalian 20 JP")
    assert [(k["No"], k["NIP"], k["Total JP"]) for k in kartu] == [(1, A, 4)]
    pupr = out / "kirim_opd" / "Dinas PU_PR"  # '/' cannot be in a folder name
    assert sorted(p.name for p in pupr.iterdir()) == ["kartu_pengendalian_2025.xlsx", "pupr_validasi.xlsx"]
    assert sheet_rows(pupr / "pupr_validasi.xlsx", "Temuan") == []


def test_an_old_output_folder_inside_the_input_is_never_read(folders):
    inp, _ = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17))
    first = rekap(inp, inp / "hasil")
    rekap(inp, inp / "hasil")  # a riwayat/ inside too
    again = rekap(inp, inp / "hasil2")
    assert again.reconciliation == first.reconciliation
    assert len(again.report) == len(first.report)
    statuses_of_inputs = {i["path"]: i["status"] for i in manifest(inp / "hasil2")["inputs"]}
    assert statuses_of_inputs["dinkes.xlsx"] == "read"
    assert statuses_of_inputs["hasil/rekap_2025.xlsx"] == "skipped: output of rekap-jp"
    assert {s for p, s in statuses_of_inputs.items() if p != "dinkes.xlsx"} == {"skipped: output of rekap-jp"}


def test_an_opds_own_file_named_like_an_output_is_still_read(folders):
    inp, out = folders
    submission(inp, "rekap_2025.xlsx", opd="Dinkes", coaching=sessions(3, 10))
    assert rekap(inp, out).reconciliation["counted"] == 2


def test_a_returned_marked_copy_is_read_as_the_revision(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[*sessions(3, 10), coaching_row("salah")])
    rekap(inp, out)
    returned = inp / "dinkes_ditandai.xlsx"
    shutil.copyfile(out / "validasi" / "dinkes_ditandai.xlsx", returned)
    result = rekap(inp, out)
    assert {i["path"]: i["status"] for i in manifest(out)["inputs"]}["dinkes.xlsx"] == (
        "superseded by dinkes_ditandai.xlsx"
    )
    assert result.reconciliation["counted"] == 2


def test_evaluation_rows_read_twice_count_once(folders):
    inp, out = folders
    evaluation = {"tanggal": D(2025, 3, 3), "nip_penerima": A, "nip_pembimbing": COACH, **SCORES}
    assessment = {"tanggal": D(2025, 3, 5), "nip_penerima": B, "nip_pembimbing": COACH, "penilaian": "Mampu"}
    rows = {"coaching": sessions(3), "evaluasi": [evaluation, evaluation], "penilaian": [assessment]}
    submission(inp, "a.xlsx", opd="Dinkes", mentoring=sessions(5, recipient=B), **rows)
    result = rekap(inp, out)
    assert result.evaluations["duplicate"] == 1
    coach = sheet_rows(out / "rekap_2025.xlsx", "Evaluasi Coach")[0]
    assert coach["Jumlah Evaluasi"] == 1
    dup = result.report[result.report["Kode"].eq("DUPLICATE_SESSION")]
    assert list(zip(dup["Sheet"], dup["Baris"], dup["Kolom"], strict=True)) == [("Evaluasi Coaching", 3, "B")]


def test_outputs_respect_the_umask(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3))
    old = os.umask(0o022)
    try:
        rekap(inp, out)
    finally:
        os.umask(old)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert modes == {0o644}


def test_validate_never_touches_what_rekap_wrote(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3))
    rekap(inp, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["validate", "--input", str(inp), "--output", str(out)]) == 0
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if k.parts[0] != "periksa"} == before
    assert sorted(k.as_posix() for k in after if k.parts[0] == "periksa") == [
        "periksa/masuk/dinkes_validasi.xlsx",
        "periksa/masuk/ringkasan_validasi_2025.xlsx",
    ]


def _sheet_names(path):
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True).sheetnames


def _rows(path, sheet):
    import openpyxl

    return list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))


def test_perubahan_shows_a_status_flip_at_exactly_20_jp(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17, 24, 5))  # 5 x 4 = 20 JP
    rekap(inp, out)
    assert by_nip(sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai"))[A]["Status 20 JP"] == "Terpenuhi"
    submission(inp, "dinkes_revisi.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17, 24))  # one dropped
    rekap(inp, out)
    assert [tuple(r.values()) for r in sheet_rows(out / "rekap_2025.xlsx", "Perubahan")] == [
        (A, "Pegawai 2004", "Dinkes", 20, 16, -4, "Terpenuhi", "Belum Terpenuhi",
         "−1 sesi Coaching tidak dihitung lagi: dinkes.xlsx, sheet Coaching, baris 6 (sekarang: Diganti revisi: "
         "dinkes_revisi.xlsx)")
    ]  # fmt: skip
    ringkasan = {r[0]: r[1] for r in _rows(out / "rekap_2025.xlsx", "Ringkasan") if r and r[0]}
    assert ringkasan["Pegawai memenuhi 20 JP (sebelumnya → sekarang)"] == "1 → 0"


def test_the_same_workbook_read_twice_counts_once(folders):
    inp, out = folders
    evaluation = {"tanggal": D(2025, 1, 3), "nip_penerima": A, "nip_pembimbing": COACH, **SCORES}
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3, 10, 17), evaluasi=[evaluation])
    once = rekap(inp, out)
    (inp / "salinan").mkdir()
    shutil.copyfile(inp / "dinkes.xlsx", inp / "salinan" / "dinkes.xlsx")
    twice = rekap(inp, out)
    assert twice.reconciliation["counted"] == once.reconciliation["counted"] == 3
    assert twice.evaluations["accepted"] == 1
    assert superseded_finding(twice, "salinan/dinkes.xlsx")["Pesan"] == (
        "Berkas ini versi lama dan diganti oleh revisinya 'dinkes.xlsx' untuk Januari–Maret 2025 (isi berkas "
        "sama persis (salinan)); baris berkas ini pada bulan-bulan itu berstatus Diganti Revisi, 0 JP."
    )
    coach = sheet_rows(out / "rekap_2025.xlsx", "Evaluasi Coach")[0]
    assert (coach["Jumlah Sesi"], coach["Jumlah Evaluasi"]) == (3, 1)


def test_two_runs_in_one_second_keep_both_histories(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=sessions(3))
    rekap(inp, out)
    stamp = dt.datetime.fromtimestamp((out / "manifest_2025.json").stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    (out / "riwayat" / stamp).mkdir(parents=True)  # an earlier run of the same second already archived
    rekap(inp, out)
    assert (out / "riwayat" / f"{stamp}-2" / "manifest_2025.json").is_file()
    ringkasan = {r[0]: r[1] for r in _rows(out / "rekap_2025.xlsx", "Ringkasan") if r and r[0]}
    assert ringkasan["Dibandingkan dengan run sebelumnya"] == f"riwayat/{stamp}-2"


def test_an_earlier_run_with_a_broken_manifest_is_still_kept_whole(folders):
    inp, out = folders
    submission(inp, "dinkes.xlsx", opd="Dinkes", coaching=[coaching_row("salah")])
    rekap(inp, out)
    (out / "manifest_2025.json").write_text("{rusak")
    marked = (out / "validasi" / "dinkes_ditandai.xlsx").read_bytes()
    stamp = dt.datetime.fromtimestamp((out / "manifest_2025.json").stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    rekap(inp, out)
    old = out / "riwayat" / stamp
    assert (old / "manifest_2025.json").read_text() == "{rusak"
    assert (old / "validasi" / "dinkes_ditandai.xlsx").read_bytes() == marked
    assert (old / "kirim_opd" / "Dinkes" / "dinkes_validasi.xlsx").is_file()
