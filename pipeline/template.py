"""The OPD template (SPEC §3.1): every sheet, dropdowns, NIP columns as text, dates as dates, frozen headers.

`write_template` can also fill the sheets, which is how tools/make_samples.py writes realistic submissions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pipeline import layout
from pipeline.profiles import Profile
from pipeline.write import Book, open_workbook

ROWS_PREPARED = 5000  # rows with dropdowns and checks; an OPD rarely reports more sessions a year
PETUNJUK = [
    "Petunjuk Pengisian Laporan Coaching dan Mentoring",
    "",
    "1. Isi sheet Identitas: nama Perangkat Daerah, tahun laporan, tanggal penyerahan, serta nama dan NIP pengelola SDM.",
    "   Periode diisi bila berkas hanya memuat sebagian tahun (mis. 'Semester II 2025' atau 'Juli–Desember 2025'):",
    "   berkas ini lalu hanya menggantikan kiriman sebelumnya untuk bulan-bulan itu.",
    "2. Satu baris = satu kali sesi coaching/mentoring. Jangan menggabungkan beberapa sesi dalam satu baris.",
    "3. NIP ditulis lengkap 18 digit sebagai teks (kolom NIP sudah berformat Teks). Jangan menyalin NIP sebagai angka:",
    "   Excel hanya menyimpan 15 digit angka sehingga 3 digit terakhir NIP hilang.",
    "4. Tanggal diisi sebagai tanggal (dd/mm/yyyy), mis. 03/03/2025. Satu baris untuk setiap tanggal sesi.",
    "5. Skala: Nasional atau Internasional (kosong = Nasional). Moda: Luring atau Daring (kosong = Luring).",
    "6. Bukti: tautan atau nama berkas formulir yang sudah ditandatangani.",
    "7. Evaluasi Coaching: isi P1-P9 dengan 1 (tidak setuju), 2 (netral) atau 3 (setuju) sesuai Formulir Evaluasi Coaching.",
    "8. Penilaian Mentor: Sangat Mampu, Mampu, Kurang Mampu atau Tidak Mampu.",
    "9. Pengembangan Lain: kegiatan selain coaching/mentoring (pelatihan, seminar, workshop, e-learning, dll.).",
    "   Isi JP Program untuk pelatihan/kursus/bimtek; Jumlah Hari untuk seminar/workshop.",
    "10. Batas penghitungan: coaching paling banyak {cap_coaching} sesi dan mentoring paling banyak {cap_mentoring} "
    "sesi per bulan per pegawai.",
    "{deadline}",
    "",
    "Contoh satu baris sheet Coaching (jangan disalin ke template; tulis data sendiri mulai baris 2):",
    "",
    "",
    "",
    "Jenis Kegiatan yang dikenali (profil {profile}):",
]
EXAMPLE_ROW = {
    "no": 1,
    "tanggal": "03/03/2025",
    "nip_penerima": "198503122010012004",
    "nama_penerima": "Siti Aminah, S.E.",
    "pangkat_penerima": "III/c",
    "jabatan_penerima": "Analis SDM Aparatur Ahli Muda",
    "unit_penerima": "Bidang Pengembangan SDM",
    "nip_pembimbing": "197001011995031001",
    "nama_pembimbing": "Drs. Bambang Santoso, M.Si.",
    "pangkat_pembimbing": "IV/a",
    "skala": "Nasional",
    "moda": "Luring",
    "bukti": "form_coaching_03032025.pdf",
}

_ACTIVITY_SHEETS = (layout.COACHING, layout.MENTORING, layout.EVALUASI, layout.PENILAIAN, layout.LAIN)


def write_template(
    path: Path,
    profile: Profile,
    identitas: dict[str, Any] | None = None,
    rows: dict[str, list[dict[str, Any]]] | None = None,
) -> None:
    """Write the template; `rows` maps a sheet kind to row dicts keyed by field name."""
    rows = rows or {}
    with open_workbook(path, own_output=False, title="Template Laporan Coaching dan Mentoring") as book:
        _petunjuk(book, profile)  # first: what an OPD opens the template on
        _identitas(book, identitas or {})
        for kind in _ACTIVITY_SHEETS:
            _activity_sheet(book, kind, profile, rows.get(kind, []))


def _identitas(book: Book, values: dict[str, Any]) -> None:
    ws = book.sheet(layout.SHEET_NAMES[layout.IDENTITAS])
    ws.write_string(0, 0, "Keterangan", book.header)
    ws.write_string(0, 1, "Isian", book.header)
    for row, field in enumerate(layout.IDENTITAS_FIELDS, start=1):
        ws.write_string(row, 0, field.header, book.bold)
        value = values.get(field.name)
        if value is None:
            ws.write_blank(row, 1, None, book.date if field.name == "tanggal_penyerahan" else book.text)
        elif field.name == "tanggal_penyerahan":
            ws.write_datetime(row, 1, value, book.date)
        elif field.name == "tahun":
            ws.write_number(row, 1, value)
        else:
            ws.write_string(row, 1, str(value), book.text)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 40)


def _column_format(book: Book, field: str) -> Any:
    if field.startswith("nip"):
        return book.text
    if field.startswith("tanggal"):
        return book.date
    return None


def _activity_sheet(book: Book, kind: str, profile: Profile, rows: list[dict[str, Any]]) -> None:
    ws = book.sheet(layout.SHEET_NAMES[kind])
    fields = layout.FIELDS[kind]
    for col, field in enumerate(fields):
        ws.write_string(0, col, field.header, book.header)
        width = max(len(field.header) + 2, 20 if field.name.startswith(("nip", "nama", "jenis")) else 12)
        ws.set_column(col, col, min(width, 36), _column_format(book, field.name))
    last = max(ROWS_PREPARED, len(rows) + 50)
    for col, field in enumerate(fields):
        if field.name in layout.SCORE_FIELDS:
            # the statement shows when the header is selected; a cell comment would send every returned
            # file down the slow marking route (pipeline.xlsxpatch leaves sheets with comments alone)
            note = {
                "validate": "any",
                "input_title": field.header,
                "input_message": layout.score_note(field.name),
            }
            ws.data_validation(0, col, 0, col, note)
        check = _validation(field.name, field.header, profile)
        if check:
            ws.data_validation(1, col, last, col, check)
    for r, values in enumerate(rows, start=1):
        for col, field in enumerate(fields):
            _write_value(book, ws, r, col, field.name, values.get(field.name))
    ws.freeze_panes(1, 0)


def _write_value(book: Book, ws: Any, row: int, col: int, field: str, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        ws.write_string(row, col, value, book.text if field.startswith("nip") else None)
    elif hasattr(value, "year") and hasattr(value, "month"):
        ws.write_datetime(row, col, value, book.date)
    else:
        ws.write_number(row, col, value)


def _validation(field: str, header: str, profile: Profile) -> dict[str, Any] | None:
    """Excel's own check of a column as the OPD types: a dropdown, 18 characters of NIP, a date."""
    choices = _choices(field, profile)
    if choices:
        return {"validate": "list", "source": choices, "ignore_blank": True}
    if field.startswith("nip"):
        return {
            "validate": "length", "criteria": "==", "value": 18, "ignore_blank": True,
            "input_title": header, "input_message": "18 digit, tanpa spasi atau titik (kolom berformat Teks).",
            "error_title": "NIP harus 18 digit", "error_message": "NIP terdiri dari 18 angka. Periksa SK/kartu pegawai.",
        }  # fmt: skip
    if field.startswith("tanggal"):
        return {
            "validate": "date", "criteria": "between", "ignore_blank": True,
            "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2100, 12, 31),
            "input_title": header, "input_message": "Tanggal sesi, mis. 03/03/2025 (hari/bulan/tahun).",
            "error_title": "Bukan tanggal", "error_message": "Tulis tanggal sebagai dd/mm/yyyy, mis. 03/03/2025.",
        }  # fmt: skip
    return None


def _choices(field: str, profile: Profile) -> list[str] | str | None:
    if field == "skala":
        return ["Nasional", "Internasional"]
    if field == "moda":
        return ["Luring", "Daring"]
    if field == "penilaian":
        return list(layout.PENILAIAN_LEVELS)
    if field in layout.SCORE_FIELDS:
        return ["1", "2", "3"]
    if field == "jenis":  # too long for an inline list: a range on the Petunjuk sheet
        return f"=Petunjuk!$B$2:$B${len(profile.other_activities) + 1}"
    return None


def _petunjuk(book: Book, profile: Profile) -> None:
    ws = book.sheet("Petunjuk")
    ws.set_column(0, 0, 110)
    ws.set_column(1, 1, 48)
    ws.write_string(0, 1, "Daftar Jenis Kegiatan", book.header)
    for row, activity in enumerate(profile.other_activities.values(), start=1):
        ws.write_string(row, 1, activity.label)
    lines = petunjuk_lines(profile)
    for row, line in enumerate(lines):
        ws.write_string(row, 0, line, book.title if row == 0 else None)
    example = lines.index(next(line for line in lines if line.startswith("Contoh satu baris"))) + 2
    _example_row(book, ws, example)
    for offset, activity in enumerate(profile.other_activities.values(), start=len(lines)):
        aliases = ", ".join(activity.aliases[:6])
        ws.write_string(offset, 0, f"- {activity.label} ({activity.kartu_column}); juga ditulis: {aliases}")
    first = len(lines) + len(profile.other_activities) + 1
    ws.write_string(first, 0, f"Pernyataan P1-P9 sheet Evaluasi Coaching. {layout.SCORE_SCALE}", book.bold)
    for row, (field, statement) in enumerate(layout.SCORE_STATEMENTS.items(), start=first + 1):
        ws.write_string(row, 0, f"{field.upper()}: {statement}")


def petunjuk_lines(profile: Profile) -> list[str]:
    """The instructions, with every number and rule taken from the profile."""
    months = profile.report_deadline_months
    deadline = (
        f"11. Laporkan kegiatan paling lambat {months} bulan setelah pelaksanaan."
        if months
        else "11. Laporkan kegiatan sesegera mungkin setelah pelaksanaan."
    )
    caps = {k: profile.activities[k].max_per_month for k in ("coaching", "mentoring")}
    return [
        line.format(profile=profile.id, deadline=deadline, cap_coaching=caps["coaching"],
                    cap_mentoring=caps["mentoring"])
        for line in PETUNJUK
    ]  # fmt: skip


def _example_row(book: Book, ws: Any, row: int) -> None:
    """The Coaching headers and one filled row, side by side as a row of the Coaching sheet (as text)."""
    fields = layout.FIELDS[layout.COACHING]
    headers = " | ".join(f.header for f in fields if f.name in EXAMPLE_ROW)
    values = " | ".join(str(EXAMPLE_ROW[f.name]) for f in fields if f.name in EXAMPLE_ROW)
    ws.write_string(row, 0, headers, book.wrap)
    ws.write_string(row + 1, 0, values, book.wrap)
