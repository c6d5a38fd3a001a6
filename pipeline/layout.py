"""Sheet kinds, their canonical headers (the template) and the header vocabulary the reader accepts.

A field is an internal column name; each sheet kind lists its fields with the canonical header written in
the template and the aliases found in retyped submissions. Matching uses textnorm.match_key, so case,
spacing, punctuation and word order do not matter.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.textnorm import match_key, tokens

COACHING, MENTORING, EVALUASI, PENILAIAN, LAIN, IDENTITAS, ROSTER, PETA_UNOR = (
    "coaching",
    "mentoring",
    "evaluasi",
    "penilaian",
    "lain",
    "identitas",
    "roster",
    "peta_unor",
)
ACTIVITY_KINDS = (COACHING, MENTORING, LAIN)
EVALUATION_KINDS = (EVALUASI, PENILAIAN)

SHEET_NAMES = {
    IDENTITAS: "Identitas",
    COACHING: "Coaching",
    MENTORING: "Mentoring",
    EVALUASI: "Evaluasi Coaching",
    PENILAIAN: "Penilaian Mentor",
    LAIN: "Pengembangan Lain",
    ROSTER: "Data Pegawai",
    PETA_UNOR: "Peta Unor",
}
PENILAIAN_LEVELS = ("Sangat Mampu", "Mampu", "Kurang Mampu", "Tidak Mampu")
SCORE_FIELDS = tuple(f"p{i}" for i in range(1, 10))
# The nine statements of the Formulir Evaluasi Coaching (Keputusan Bupati Nganjuk 2025, C.7.e), P1-P9,
# each scored 1 = tidak setuju, 2 = netral, 3 = setuju.
SCORE_STATEMENTS = dict(
    zip(
        SCORE_FIELDS,
        (
            "Saya merasa diperhatikan dan dipahami oleh Coach",
            "Saya merasa tindakan/langkah yang telah saya lakukan dihargai oleh Coach",
            "Saya merasa dapat dengan bebas mengemukakan pendapat/pemikiran saya kepada Coach",
            "Saya merasa bahwa Coach memberikan pandangan berdasarkan data/fakta yang akurat",
            "Saya merasa bahwa Coach memberikan pandangan/pendapat positif kepada saya",
            "Saya merasa bahwa Coach lebih banyak menggunakan metode bertanya dibandingkan menggurui",
            "Saya merasa bahwa Coach membantu saya dalam mencari solusi dan aksi lanjut",
            "Saya tahu apa yang harus saya lakukan setelah mengikuti kegiatan Coaching ini",
            "Saya memahami maksud dan tujuan kegiatan Coaching ini",
        ),
        strict=True,
    )
)
SCORE_SCALE = "Skala 1-3: 1 = tidak setuju, 2 = netral, 3 = setuju."


def score_note(field: str) -> str:
    """The header note of a P1-P9 column: the statement it scores and the scale."""
    return f"{field.upper()}: {SCORE_STATEMENTS[field]}.\n{SCORE_SCALE}"


@dataclass(frozen=True)
class Field:
    name: str
    header: str
    aliases: tuple[str, ...] = ()


_ROLE_WORDS = {
    COACHING: (("coachee", "pegawai", "penerima", "peserta"), ("coach", "pembimbing", "atasan", "pemberi")),
    MENTORING: (("mentee", "pegawai", "penerima", "peserta"), ("mentor", "pembimbing", "atasan", "pemberi")),
}
_ROLE_WORDS[EVALUASI] = _ROLE_WORDS[COACHING]
_ROLE_WORDS[PENILAIAN] = _ROLE_WORDS[MENTORING]
_ATTRIBUTES = {
    "nip": ("NIP", ("nip",)),
    "nama": ("Nama", ("nama", "nama lengkap")),
    "pangkat": ("Pangkat/Gol", ("pangkat gol", "pangkat", "gol", "pangkat gol ruang")),
    "jabatan": ("Jabatan", ("jabatan",)),
    "unit": ("Unit Kerja", ("unit kerja", "unit", "satuan kerja")),
}
_TANGGAL = ("hari tanggal", "tgl", "tanggal kegiatan", "tanggal pelaksanaan", "hari tgl", "waktu pelaksanaan")


def _role_fields(kind: str, attributes: tuple[str, ...]) -> list[Field]:
    recipient_words, giver_words = _ROLE_WORDS[kind]
    fields = []
    for role, words in (("penerima", recipient_words), ("pembimbing", giver_words)):
        for attr in attributes:
            header, attr_aliases = _ATTRIBUTES[attr]
            aliases = tuple(f"{a} {w}" for a in attr_aliases for w in words)
            fields.append(Field(f"{attr}_{role}", f"{header} {words[0].capitalize()}", aliases))
    return fields


def _session_fields(kind: str) -> list[Field]:
    return [
        Field("no", "No", ("nomor", "no urut")),
        Field("tanggal", "Tanggal", _TANGGAL),
        *_role_fields(kind, ("nip", "nama", "pangkat", "jabatan", "unit")),
        Field("skala", "Skala", ("skala kegiatan", "nasional internasional", "cakupan")),
        Field("moda", "Moda", ("moda pelaksanaan", "luring daring", "metode", "metode pelaksanaan")),
        Field(
            "identifikasi",
            "Identifikasi Kebutuhan Pengembangan",
            ("identifikasi kebutuhan", "kebutuhan pengembangan"),
        ),
        Field(
            "hubungan", "Hubungan Tanggung Jawab Pekerjaan", ("hubungan tanggung jawab", "hubungan pekerjaan")
        ),
        Field(
            "kegiatan", "Kegiatan Pengembangan", ("materi bimbingan", "materi", "uraian kegiatan", "topik")
        ),
        Field(
            "bukti", "Bukti", ("bukti dukung", "link bukti", "bukti kegiatan", "dokumentasi", "tautan bukti")
        ),
    ]


def _order_roles(fields: list[Field], first_role: str) -> list[Field]:
    return sorted(fields, key=lambda f: not f.name.endswith(first_role))


FIELDS: dict[str, list[Field]] = {
    COACHING: _session_fields(COACHING),
    MENTORING: _session_fields(MENTORING),
    EVALUASI: [
        Field("no", "No", ("nomor",)),
        Field("tanggal", "Tanggal", _TANGGAL),
        *_role_fields(EVALUASI, ("nip",)),
        *(Field(p, p.upper(), (f"pernyataan {p[1]}", f"p {p[1]}")) for p in SCORE_FIELDS),
        Field("saran", "Saran", ("saran masukan", "masukan")),
    ],
    PENILAIAN: [
        Field("no", "No", ("nomor",)),
        Field("tanggal", "Tanggal", _TANGGAL),
        *_role_fields(PENILAIAN, ("nip",)),
        Field("penilaian", "Penilaian", ("hasil penilaian", "penilaian mentor", "nilai")),
        Field("penjelasan", "Penjelasan", ("uraian penjelasan", "keterangan")),
    ],
    LAIN: [
        Field("no", "No", ("nomor",)),
        Field("nip_penerima", "NIP", ("nip pegawai", "nip peserta")),
        Field("nama_penerima", "Nama", ("nama pegawai", "nama peserta", "nama lengkap")),
        Field(
            "jenis",
            "Jenis Kegiatan",
            ("jenis", "bentuk kegiatan", "kegiatan", "jenis pengembangan", "nama kegiatan"),
        ),
        Field("tanggal", "Tanggal Mulai", ("mulai", "tgl mulai", "tanggal", "tanggal awal", "dari tanggal")),
        Field(
            "tanggal_selesai",
            "Tanggal Selesai",
            ("selesai", "tgl selesai", "tanggal akhir", "sampai tanggal"),
        ),
        Field("skala", "Skala", ("skala kegiatan", "nasional internasional")),
        Field("jp_program", "JP Program", ("jp", "jumlah jp", "jp pelatihan", "jam pelajaran")),
        Field("jumlah_hari", "Jumlah Hari", ("hari", "lama hari", "durasi hari", "jml hari")),
        Field("keterangan", "Keterangan", ("ket",)),
    ],
    # The template's Data Pegawai, and a SIASN "Export Data ASN" (NIP BARU, GELAR DEPAN, UNOR NAMA, ...).
    ROSTER: [
        Field("nip", "NIP", ("nip pegawai", "nip baru")),
        Field("nama", "Nama", ("nama pegawai", "nama lengkap")),
        Field("gelar_depan", "Gelar Depan", ()),
        Field("gelar_belakang", "Gelar Belakang", ()),
        Field(
            "pangkat",
            "Pangkat/Gol",
            ("pangkat", "gol", "pangkat gol ruang", "gol akhir nama", "golongan", "golongan ruang"),
        ),
        Field("jabatan", "Jabatan", ("nama jabatan", "jabatan nama")),
        Field("jenis_jabatan", "Jenis Jabatan", ("kategori jabatan", "jenis jabatan nama")),
        Field("eselon", "Eselon", ("eselon nama",)),
        Field(
            "opd", "Perangkat Daerah", ("opd", "unit organisasi", "instansi", "skpd", "perangkat daerah opd")
        ),
        Field("unor", "Unor", ("unor nama", "unit kerja", "unit kerja nama")),
        Field("unor_induk", "Unor Induk", ("unor induk nama",)),
        Field(
            "status",
            "Status",
            ("status kepegawaian", "status pegawai", "jenis pegawai", "jenis pegawai nama"),
        ),
        Field("kedudukan", "Kedudukan Hukum", ("kedudukan hukum nama", "kedudukan")),
    ],
    PETA_UNOR: [
        Field("unor", "Unor", ("unor nama", "unit organisasi", "unit kerja", "unit")),
        Field("opd", "Perangkat Daerah", ("opd", "skpd", "perangkat daerah opd", "nama perangkat daerah")),
    ],
}
# A sheet whatever its name (or a CSV file) is a SIASN roster when its header holds these two columns.
SIASN_ROSTER_HEADERS = ("NIP BARU", "NAMA")

# The recipient's "NIP"/"Nama"/... without a role word belongs to the recipient when the sheet has
# one such column besides the coach's (SPEC §3.2).
GENERIC_RECIPIENT = {
    match_key(a): f"{attr}_penerima" for attr, (_, aliases) in _ATTRIBUTES.items() for a in aliases
}

IDENTITAS_FIELDS = [
    Field("opd", "Perangkat Daerah", ("opd", "nama perangkat daerah", "instansi", "skpd", "nama opd")),
    Field("tahun", "Tahun", ("tahun laporan", "tahun anggaran")),
    Field(
        "tanggal_penyerahan", "Tanggal Penyerahan", ("tanggal laporan", "tanggal pengiriman", "tanggal kirim")
    ),
    # optional: the months the file reports ("Semester II 2025"); a revision replaces an older version there
    Field("periode", "Periode", ("periode laporan", "masa laporan", "bulan laporan")),
    Field("nama_pengelola", "Nama Pengelola SDM", ("pengelola sdm", "nama pengelola", "nama petugas")),
    Field("nip_pengelola", "NIP Pengelola SDM", ("nip pengelola", "nip petugas")),
]

# Cells over sub-headers in the regulation's form: their tokens prefix the sub-header's (NIP + COACH).
GROUP_WORDS = frozenset({w for words in _ROLE_WORDS.values() for group in words for w in group})

# The sheets of an OPD's submission that hold rows a revision can replace.
SUBMISSION_KINDS = frozenset({COACHING, MENTORING, LAIN, EVALUASI, PENILAIAN})

REQUIRED_FIELDS = {
    COACHING: ("tanggal", "nip_penerima", "nip_pembimbing", "nama_pembimbing"),
    MENTORING: ("tanggal", "nip_penerima", "nip_pembimbing", "nama_pembimbing"),
    LAIN: ("nip_penerima", "jenis", "tanggal"),
    EVALUASI: ("nip_penerima", "nip_pembimbing"),
    PENILAIAN: ("nip_penerima", "nip_pembimbing"),
    ROSTER: ("nip",),
    PETA_UNOR: ("unor", "opd"),
}


@functools.cache
def alias_index(kind: str) -> Mapping[str, str]:
    """match_key -> field for one sheet kind (canonical header, field name and aliases); built once per kind."""
    index: dict[str, str] = {}
    for field in FIELDS[kind]:
        for text in (field.header, field.name.replace("_", " "), *field.aliases):
            index.setdefault(match_key(text), field.name)
    return index


def header_of(kind: str, field: str) -> str:
    for f in FIELDS.get(kind, []):
        if f.name == field:
            return f.header
    return field


def sheet_kind(name: str) -> str | None:
    """The kind of a sheet from its (tolerant) name, or None when it is not one of ours."""
    words = set(tokens(name))
    text = " ".join(tokens(name))
    if "identitas" in words:
        return IDENTITAS
    if "evaluasi" in words:
        return EVALUASI
    if "penilaian" in words:
        return PENILAIAN
    if "coaching" in words:
        return COACHING
    if "mentoring" in words:
        return MENTORING
    if "lain" in words or "lainnya" in words:
        return LAIN
    if "data pegawai" in text or words >= {"daftar", "pegawai"}:
        return ROSTER
    if words >= {"peta", "unor"}:
        return PETA_UNOR
    return None
