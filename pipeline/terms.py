"""The vocabulary every stage shares: row statuses and their reconciliation keys (SPEC §5).

One home, so a status is spelled once: the compute stage assigns them, the summaries filter on them, the
manifest and the summary table count them under the keys below.
"""

from __future__ import annotations

DIGANTI = "Diganti Revisi"
DITOLAK = "Ditolak"
LUAR_PERIODE = "Di Luar Periode"
DUPLIKAT = "Duplikat"
MELEBIHI = "Melebihi Batas Bulanan"
DIHITUNG = "Dihitung"

# Status -> manifest key, in the order a row is decided (SPEC §5: revisions first, counted last).
STATUS_KEYS = {
    DIGANTI: "superseded",
    DITOLAK: "rejected",
    LUAR_PERIODE: "out_of_period",
    DUPLIKAT: "duplicate",
    MELEBIHI: "capped",
    DIHITUNG: "counted",
}
STATUSES = tuple(STATUS_KEYS)
# The order the summary table, the Ringkasan and the manifest list them (the order they were first shown).
REPORT_ORDER = (DIHITUNG, MELEBIHI, DUPLIKAT, LUAR_PERIODE, DITOLAK, DIGANTI)

# The months as Indonesian letters and reports write them ("15 Januari 2026", "Juli–Desember 2025").
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember")  # fmt: skip

# Evaluation rows (Evaluasi Coaching, Penilaian Mentor) carry no JP: they are accepted or not, and why not.
DITERIMA = "Diterima"
EVALUATION_KEYS = {DITERIMA: "accepted", DITOLAK: "rejected", DUPLIKAT: "duplicate", DIGANTI: "superseded"}

# Written in the Comments property of every workbook this program writes (not the template): discovery
# skips any workbook that carries it, wherever it lies, so an old output is never read as a submission.
OUTPUT_MARK = "Keluaran rekap-jp: bukan berkas kiriman OPD"
# Folders this program writes into an output folder; discovery never reads below them.
OUTPUT_FOLDERS = ("validasi", "riwayat", "kirim_opd", "periksa")

# Status 20 JP (Rekap Pegawai, Kartu Pengendalian, Perubahan): at least the profile's yearly target, or not.
TERPENUHI = "Terpenuhi"
BELUM = "Belum Terpenuhi"
STATUS_COLUMN = "Status 20 JP"  # every column whose header starts so holds one of the two

# Jenis jabatan as Peraturan BKN 8/2019 scores them; SIASN's "Jabatan Struktural" without an eselon is
# STRUKTURAL, scored as JPT, Administrator and Pengawas are where a profile scores them alike.
JENIS_JABATAN = ("JPT", "Administrator", "Pengawas", "JF", "Pelaksana")
STRUKTURAL = "Struktural"
UNKNOWN_OPD = "(Tidak diketahui)"  # an employee whose OPD neither the roster nor a submission gives
UNKNOWN_JENIS = "Tidak diketahui"
NOT_APPLICABLE_PPPK = "Tidak berlaku (PPPK)"  # Nilai Indikator 20 JP: Peraturan BKN 8/2019 scores PNS only
