"""The finding registry: every code with its level, Indonesian message template and fix hint.

Checks return findings as rows of a DataFrame (see FINDING_COLUMNS); nothing here prints.
Message templates use {value} (the cell as the user typed it), {quoted} (the same in quotes, or "(kosong)"
for an empty cell), {column} (the column header as the user sees it) and {detail} (a check-specific fact,
e.g. the number of digits).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

KESALAHAN = "Kesalahan"
PERINGATAN = "Peringatan"
EMPTY_VALUE = "(kosong)"  # an empty cell where a message quotes the value


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # what a person reads beside (or instead of) the code: "NIP bukan 18 digit"
    level: str
    message: str
    hint: str
    rejects_row: bool


_RULES = [
    Rule(
        "FILE_UNREADABLE",
        "Berkas tidak dapat dibaca",
        KESALAHAN,
        "Berkas tidak dapat dibaca: {detail}.",
        "Simpan ulang berkas dari Excel sebagai .xlsx lalu kirim kembali.",
        False,
    ),
    Rule(
        "FILE_ENCRYPTED",
        "Berkas berkata sandi",
        KESALAHAN,
        "Berkas dilindungi kata sandi sehingga tidak dapat dibaca.",
        "Buka berkas, hapus kata sandi (File > Info > Protect Workbook), simpan, lalu kirim kembali.",
        False,
    ),
    Rule(
        "FILE_UNSUPPORTED",
        "Format berkas tidak dibaca",
        PERINGATAN,
        "Berkas ini ({detail}) dilewati: formatnya tidak dibaca program ini (.xlsx, .xlsm, .xls, .ods, .csv).",
        "Kirim data dalam format .xlsx sesuai template (di Excel: File > Save As > Excel Workbook); "
        "pindaian/dokumen pendukung tidak dibaca.",
        False,
    ),
    Rule(
        "SHEET_MISSING",
        "Sheet tidak dikenali",
        PERINGATAN,
        "Tidak ada sheet yang dikenali ({detail}).",
        "Gunakan template: sheet Coaching, Mentoring, Evaluasi Coaching, Penilaian Mentor, Pengembangan Lain.",
        False,
    ),
    Rule(
        "HEADER_NOT_FOUND",
        "Judul kolom tidak ditemukan",
        PERINGATAN,
        "Baris judul kolom tidak ditemukan pada 20 baris pertama sheet {detail}.",
        "Pastikan baris judul kolom (mis. Tanggal, NIP Coachee, NIP Coach) ada di 20 baris pertama.",
        False,
    ),
    Rule(
        "SHEET_HIDDEN",
        "Sheet tersembunyi",
        PERINGATAN,
        "Sheet tersembunyi '{detail}' tidak dibaca.",
        "Jika data di sheet itu harus dihitung, tampilkan sheet (Unhide) atau pindahkan datanya.",
        False,
    ),
    Rule(
        "MISSING_REQUIRED",
        "Isian wajib kosong",
        KESALAHAN,
        "Kolom {column} wajib diisi tetapi kosong.",
        "Lengkapi {column} pada baris ini.",
        True,
    ),
    Rule(
        "NIP_FORMAT",
        "NIP bukan 18 digit",
        KESALAHAN,
        "NIP {quoted} pada kolom {column} bukan 18 digit ({detail}).",
        "Periksa kembali NIP pada SK/kartu pegawai; NIP terdiri dari 18 angka.",
        True,
    ),
    Rule(
        "NIP_NUMERIC_PRECISION",
        "NIP tersimpan sebagai angka",
        KESALAHAN,
        "NIP pada kolom {column} tersimpan sebagai angka ({value}); Excel hanya menyimpan 15 digit sehingga "
        "digit terakhir hilang.",
        "Format kolom NIP sebagai Teks (Format Cells > Text) lalu ketik ulang NIP lengkap 18 digit.",
        True,
    ),
    Rule(
        "NIP_BIRTHDATE",
        "Tanggal lahir pada NIP tidak sah",
        KESALAHAN,
        "NIP {quoted}: digit 1-8 ({detail}) bukan tanggal lahir yang sah.",
        "Digit 1-8 NIP adalah tanggal lahir (TTTTBBHH). Periksa kembali NIP pada SK/kartu pegawai.",
        True,
    ),
    Rule(
        "NIP_TMT",
        "TMT pada NIP tidak sah",
        KESALAHAN,
        "NIP {quoted}: digit 9-14 ({detail}) bukan TMT pengangkatan yang sah.",
        "Digit 9-14 NIP adalah tahun dan bulan pengangkatan. Periksa kembali NIP pada SK/kartu pegawai.",
        True,
    ),
    Rule(
        "NIP_GENDER",
        "Kode jenis kelamin NIP salah",
        KESALAHAN,
        "NIP {quoted}: digit ke-15 ({detail}) harus 1 atau 2.",
        "Digit ke-15 NIP adalah kode jenis kelamin (1 atau 2). Periksa kembali NIP.",
        True,
    ),
    Rule(
        "DATE_INVALID",
        "Tanggal tidak dikenali",
        KESALAHAN,
        "{quoted} pada kolom {column} bukan tanggal yang dikenali.",
        "Tulis tanggal sebagai tanggal Excel atau dd/mm/yyyy, mis. 03/03/2025 atau 3 Maret 2025.",
        True,
    ),
    Rule(
        "DATE_FUTURE",
        "Tanggal di masa depan",
        KESALAHAN,
        "Tanggal {value} pada kolom {column} belum terjadi (setelah {detail}).",
        "Periksa tahun dan bulan tanggal kegiatan.",
        True,
    ),
    Rule(
        "DATE_OUT_OF_PERIOD",
        "Di luar tahun laporan",
        PERINGATAN,
        "Tanggal {value} di luar tahun laporan {detail}; baris tidak dihitung.",
        "Laporkan kegiatan ini pada rekap tahun yang sesuai, atau perbaiki tahunnya.",
        False,
    ),
    Rule(
        "NUMBER_READ",
        "Angka dibaca dari teks",
        PERINGATAN,
        "{quoted} pada kolom {column} dibaca sebagai {detail}.",
        "Bila angkanya lain, tulis hanya satu angka di kolom ini; keterangan lain di kolom Keterangan.",
        False,
    ),
    Rule(
        "NUMBER_UNCLEAR",
        "Bukan satu angka yang jelas",
        KESALAHAN,
        "{quoted} pada kolom {column} bukan satu angka yang jelas.",
        "Tulis satu angka saja, mis. 24; hitungan (3 x 8) dan keterangan jangan ditulis di kolom ini.",
        True,
    ),
    Rule(
        "NUMBER_NEGATIVE",
        "Angka negatif",
        KESALAHAN,
        "{quoted} pada kolom {column} bernilai negatif.",
        "Periksa kembali angkanya; JP dan jumlah hari tidak mungkin negatif.",
        True,
    ),
    Rule(
        "DATE_ORDER",
        "Tanggal selesai sebelum tanggal mulai",
        KESALAHAN,
        "Tanggal Selesai {value} sebelum Tanggal Mulai {detail}.",
        "Periksa kembali tanggal mulai dan tanggal selesai kegiatan.",
        True,
    ),
    Rule(
        "SAME_PERSON",
        "Pembimbing sama dengan penerima",
        KESALAHAN,
        "NIP pembimbing sama dengan NIP penerima ({value}).",
        "Isi NIP coach/mentor dengan NIP orang yang membimbing, bukan NIP penerima.",
        True,
    ),
    Rule(
        "DUPLICATE_SESSION",
        "Sesi ganda",
        PERINGATAN,
        "Sesi yang sama sudah dilaporkan di {detail}; baris ini tidak dihitung.",
        "Hapus baris ganda, atau perbaiki tanggal/NIP bila memang sesi yang berbeda.",
        False,
    ),
    Rule(
        "MONTHLY_CAP",
        "Melebihi batas sesi per bulan",
        PERINGATAN,
        "Melebihi batas {detail}. Baris ini tidak menambah JP.",
        "Tidak perlu diperbaiki bila sesinya benar; batas bulanan diatur dalam pedoman.",
        False,
    ),
    Rule(
        "SCORE_RANGE",
        "Nilai evaluasi bukan 1-3",
        KESALAHAN,
        "Nilai {quoted} pada kolom {column} harus bilangan bulat 1, 2 atau 3.",
        "Isi 1 (tidak setuju), 2 (netral) atau 3 (setuju).",
        True,
    ),
    Rule(
        "ASSESSMENT_VALUE",
        "Penilaian mentor tidak dikenali",
        KESALAHAN,
        "Penilaian {quoted} tidak dikenali.",
        "Isi salah satu: Sangat Mampu, Mampu, Kurang Mampu, Tidak Mampu.",
        True,
    ),
    Rule(
        "UNKNOWN_ACTIVITY",
        "Jenis kegiatan tidak dikenal",
        KESALAHAN,
        "Jenis kegiatan {quoted} bukan bentuk pengembangan kompetensi dalam tabel konversi JP (profil {detail}).",
        "Bila baris ini rapat atau kegiatan lain yang bukan pengembangan kompetensi, hapus barisnya; bila "
        "pengembangan kompetensi, pilih jenisnya dari daftar di sheet Petunjuk pada template.",
        True,
    ),
    Rule(
        "PANGKAT_UNKNOWN",
        "Pangkat/golongan tidak dikenali",
        PERINGATAN,
        "Pangkat/golongan {quoted} pada kolom {column} tidak dikenali.",
        "Tulis golongan seperti III/a (PNS) atau IX (PPPK).",
        False,
    ),
    Rule(
        "NOT_IN_ROSTER",
        "NIP tidak ada di Data Pegawai",
        PERINGATAN,
        "NIP {value} pada kolom {column} tidak ada di Data Pegawai.",
        "Periksa NIP, atau tambahkan pegawai ke Data Pegawai bila memang pegawai baru.",
        False,
    ),
    Rule(
        "ROSTER_INACTIVE",
        "Pegawai tidak aktif",
        PERINGATAN,
        "Kedudukan hukum {quoted}: pegawai ini tidak dihitung dalam jumlah pegawai (hanya yang Aktif).",
        "Bila pegawai masih aktif, perbarui kedudukan hukumnya di SIASN lalu unduh ulang Data Pegawai.",
        False,
    ),
    Rule(
        "UNIT_UNMAPPED",
        "Unit kerja tanpa Perangkat Daerah",
        PERINGATAN,
        "Unit kerja (UNOR) yang tidak dapat dipetakan ke Perangkat Daerah: {detail}.",
        "Isi kolom Perangkat Daerah untuk unit-unit ini di berkas peta_unor (mis. peta_unor_2025.xlsx) di folder "
        "hasil, letakkan berkas itu di folder masukan, lalu jalankan ulang.",
        False,
    ),
    Rule(
        "OPD_UNKNOWN",
        "Perangkat Daerah tidak dikenal",
        PERINGATAN,
        "{quoted} bukan nama Perangkat Daerah yang dikenal (Identitas, Data Pegawai atau daftar_opd di "
        "instansi.toml); {detail}",
        "Tulis nama Perangkat Daerah persis seperti nama yang dikenal (pilihan di kolom Perangkat Daerah pada "
        "peta_unor di folder hasil, atau sheet Identitas berkas OPD), lalu jalankan ulang.",
        False,
    ),
    Rule(
        "NAME_MISMATCH",
        "Nama berbeda untuk NIP yang sama",
        PERINGATAN,
        "Nama {quoted} berbeda dengan nama '{detail}' untuk NIP yang sama.",
        "Samakan penulisan nama dengan Data Pegawai/SK.",
        False,
    ),
    Rule(
        "MENTOR_JUNIOR",
        "Golongan mentor lebih rendah",
        PERINGATAN,
        "Golongan mentor ({value}) lebih rendah dari golongan mentee ({detail}).",
        "Mentor semestinya pegawai yang lebih senior; periksa kembali data mentor.",
        False,
    ),
    Rule(
        "EVIDENCE_MISSING",
        "Bukti kosong",
        PERINGATAN,
        "Kolom Bukti kosong.",
        "Lampirkan tautan/nama berkas bukti kegiatan (formulir yang ditandatangani).",
        False,
    ),
    Rule(
        "LATE_REPORT",
        "Terlambat dilaporkan",
        PERINGATAN,
        "Diserahkan {value}: {detail}. Sesi-sesi itu tetap dihitung.",
        "Tidak perlu mengubah berkas ini; laporkan sesi berikutnya dalam batas waktu pedoman (tertulis di sheet "
        "Petunjuk pada template).",
        False,
    ),
    Rule(
        "PENERIMA_PPPK",
        "Penerima sesi PPPK",
        PERINGATAN,
        "Penerima {value} adalah PPPK, sedangkan pedoman menyebut coachee/mentee adalah PNS; sesi tetap dihitung.",
        "Periksa status pegawai; bila memang PPPK, BKPSDM memutuskan apakah sesi ini diakui.",
        False,
    ),
    Rule(
        "SUBMISSION_SUPERSEDED",
        "Diganti berkas revisi",
        PERINGATAN,
        "Berkas ini versi lama dan diganti oleh revisinya {quoted} untuk {detail}; baris berkas ini pada "
        "bulan-bulan itu berstatus Diganti Revisi, 0 JP.",
        "Bila keputusan ini keliru, keluarkan berkas yang tidak berlaku dari folder masukan lalu jalankan ulang.",
        False,
    ),
    Rule(
        "SUBMISSION_PARTLY_KEPT",
        "Versi lama tetap dihitung sebagian",
        PERINGATAN,
        "Revisinya {quoted} tidak mencakup bulan-bulan ini, sehingga baris berkas ini di sana tetap dihitung: "
        "{detail}.",
        "Tidak perlu tindakan bila revisi memang hanya untuk sebagian tahun. Bila revisi menggantikan seluruh "
        "tahun, isi Periode di sheet Identitas revisi (mis. 'Januari–Desember 2025') lalu kirim kembali.",
        False,
    ),
    Rule(
        "PERIOD_UNKNOWN",
        "Periode tidak dikenali",
        PERINGATAN,
        "Periode {quoted} di sheet Identitas tidak dikenali; periode berkas diambil dari tanggal sesinya.",
        "Tulis Periode seperti 'Januari–Desember 2025', 'Semester II 2025' atau 'Juli–Desember 2025'.",
        False,
    ),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
REJECTING_CODES = frozenset(code for code, rule in RULES.items() if rule.rejects_row)

# One row per finding. `uid` links a cell finding to its row (-1 for file- and sheet-level findings).
# `proposal`: what the value most likely should be, when the data says so ("199610252021082011 — Dewi
# Wulandari di Data Pegawai"); empty when there is nothing to propose.
FINDING_COLUMNS = ["uid", "file", "sheet", "row", "field", "value", "code", "detail", "proposal"]
REPORT_COLUMNS = ["File", "Sheet", "Baris", "Kolom", "Nilai", "Tingkat", "Kode", "Pesan", "Saran Perbaikan"]


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in ("uid", "row") else "object") for c in FINDING_COLUMNS}
    )


def file_finding(file: str, code: str, detail: str = "", sheet: str = "") -> dict[str, object]:
    """A finding about a whole file or sheet (no row)."""
    return {
        "uid": -1,
        "file": file,
        "sheet": sheet,
        "row": 0,
        "field": "",
        "value": "",
        "code": code,
        "detail": detail,
        "proposal": "",
    }


def cell_findings(
    rows: pd.DataFrame, field: str, code: str, value: pd.Series, detail: object = ""
) -> pd.DataFrame:
    """Findings for the cells of `field` in `rows` (a frame with uid, file, sheet, row)."""
    detail_col = detail.astype("string").fillna("") if isinstance(detail, pd.Series) else str(detail)
    return pd.DataFrame(
        {
            "uid": rows["uid"].to_numpy(),
            "file": rows["file"].to_numpy(),
            "sheet": rows["sheet"].to_numpy(),
            "row": rows["row"].to_numpy(),
            "field": field,
            "value": value.astype("string").fillna("").to_numpy(),
            "code": code,
            "detail": detail_col if isinstance(detail_col, str) else detail_col.to_numpy(),
            "proposal": "",
        }
    )


def concat_findings(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_findings()
    out = pd.concat(parts, ignore_index=True)
    out["proposal"] = out["proposal"].fillna("") if "proposal" in out.columns else ""
    out["uid"] = out["uid"].astype("int64")
    out["row"] = out["row"].astype("int64")
    return out


def thousands(number: int) -> str:
    """A count as Indonesians write it in a message: 1048576 -> "1.048.576"."""
    return f"{number:,}".replace(",", ".")


def where_rows(rows: pd.DataFrame) -> str:
    """Rows as a clerk finds them, a file and sheet once: "opd.xlsx, sheet Coaching, baris 2 dan 4".
    `rows`: file, sheet, row."""
    return places_by(rows.assign(_all=0), ["_all"]).get(0, "")


def places_by(rows: pd.DataFrame, keys: list[str]) -> dict[object, str]:
    """where_rows of each group of `rows` by `keys`, in one grouped pass (a key of one column is the value
    itself, of several a tuple); the rows keep their order."""
    lists = rows.groupby([*keys, "file", "sheet"], sort=False)["row"].agg(list)
    out: dict[object, str] = {}
    for index, numbers in lists.items():
        parts: list[object] = list(index) if isinstance(index, tuple) else [index]
        key, file, sheet = parts[:-2], parts[-2], parts[-1]
        texts = [str(n) for n in numbers]
        listed = texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " dan " + texts[-1]
        group = key[0] if len(key) == 1 else tuple(key)
        text = f"{file}, sheet {sheet}, baris {listed}"
        out[group] = f"{out[group]}; {text}" if group in out else text
    return out


def title_of(code: str) -> str:
    """The Indonesian title with the code after it, as people read it: "NIP bukan 18 digit (NIP_FORMAT)"."""
    return f"{RULES[code].title} ({code})"


def level_of(codes: pd.Series) -> pd.Series:
    return codes.map({c: r.level for c, r in RULES.items()})


def render(findings: pd.DataFrame, column_labels: pd.Series, letters: pd.Series) -> pd.DataFrame:
    """The report table (REPORT_COLUMNS) for findings, with Indonesian messages."""
    texts: dict[tuple[str, str, str, str, str], tuple[str, str]] = {}  # a message recurs: one date, one limit
    messages, hints = [], []
    columns = (findings["code"], findings["value"], findings["detail"], column_labels, findings["proposal"])
    for key in zip(*(c.to_numpy() for c in columns), strict=True):  # Arrow columns iterate slower
        text = texts.get(key)
        if text is None:
            text = texts[key] = _texts(*key)
        messages.append(text[0])
        hints.append(text[1])
    return pd.DataFrame(
        {
            "File": findings["file"].to_numpy(),
            "Sheet": findings["sheet"].to_numpy(),
            "Baris": findings["row"].to_numpy(),
            "Kolom": letters.to_numpy(),
            "Nilai": findings["value"].to_numpy(),
            "Tingkat": level_of(findings["code"]).to_numpy(),
            "Kode": findings["code"].to_numpy(),
            "Pesan": messages,
            "Saran Perbaikan": hints,
        }
    )


NOT_COUNTED = "Baris ini tidak dihitung."  # every finding that rejects its row says so


def _texts(code: str, value: str, detail: str, label: str, proposal: str = "") -> tuple[str, str]:
    """A finding's Pesan and Saran Perbaikan: the rule's message, what is proposed, and whether the row counts."""
    rule = RULES[code]
    quoted = f"'{value}'" if value else EMPTY_VALUE
    fields = {"value": value, "quoted": quoted, "detail": detail, "column": label or "-"}
    message = rule.message.format(**fields)
    if proposal:
        message += f" Mungkin maksudnya {proposal}."
    return (f"{message} {NOT_COUNTED}" if rule.rejects_row else message), rule.hint.format(**fields)
