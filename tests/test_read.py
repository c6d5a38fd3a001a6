"""One tiny workbook per Excel quirk; the reader finds the data without configuration."""

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from helpers import COACH, A, by_nip, coaching_row, rekap, sheet_rows, submission

from pipeline.discover import discover
from pipeline.normalise import parse_dates, parse_nip
from pipeline.read import read_workbook

D = dt.date
B = "199001152015031002"


def write_rows(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = (), merges=()) -> Path:
    wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, value, wb.add_format({"num_format": "dd/mm/yyyy"}))
                else:
                    ws.write(r, c, value)
        for first_row, first_col, last_row, last_col, text in merges if name == list(sheets)[-1] else ():
            ws.merge_range(first_row, first_col, last_row, last_col, text)
        if name in hidden:
            ws.hide()
    wb.close()
    return path


def test_title_rows_and_merged_two_row_header(tmp_path):
    rows = [
        ["LAPORAN COACHING DINAS UJI"],
        ["Tahun 2025"],
        [],
        ["No", "Hari/Tanggal", None, None, None, None, "Paraf"],
        [None, None, "Nama", "NIP", "Nama", "NIP", None],
        [1, "Senin, 3 Maret 2025", "Ani", A, "Budi", COACH, "ttd"],
    ]
    merges = [(3, 2, 3, 3, "COACHEE"), (3, 4, 3, 5, "COACH")]
    path = write_rows(tmp_path / "form.xlsx", {"Coaching": rows}, merges=merges)
    book = read_workbook(path, "form.xlsx")
    sheet = book.sheets[0]
    assert sheet.letters == {
        "no": "A",
        "tanggal": "B",
        "nama_penerima": "C",
        "nip_penerima": "D",
        "nama_pembimbing": "E",
        "nip_pembimbing": "F",
    }
    assert sheet.frame["row"].tolist() == [6]
    assert sheet.frame.loc[0, "nip_pembimbing"] == COACH


def test_renamed_reordered_headers_with_aliases(tmp_path):
    rows = [
        ["Nama Pembimbing", "NIP Atasan", "tgl.", "NIP", "NAMA   PEGAWAI", "Keterangan"],
        ["Budi", COACH, "03/04/2025", A, "Ani", "x"],
    ]
    book = read_workbook(write_rows(tmp_path / "x.xlsx", {"coaching 2025": rows}), "x.xlsx")
    assert book.sheets[0].letters == {
        "nama_pembimbing": "A",
        "nip_pembimbing": "B",
        "tanggal": "C",
        "nip_penerima": "D",
        "nama_penerima": "E",
    }


def test_blank_and_prenumbered_rows_are_not_rows(tmp_path):
    rows = [
        ["No", "Tanggal", "NIP Coachee", "NIP Coach", "Nama Coach"],
        [1, D(2025, 3, 3), A, COACH, "Budi"],
        [None],
        [2, None, "  ", None, "\u00a0"],
        [3],
        [4, D(2025, 3, 4), A, COACH, "Budi"],
        [5, "\u200b", "\u2003", "\ufeff \t", None],
        [6, None, None, None, 0],
    ]
    book = read_workbook(write_rows(tmp_path / "x.xlsx", {"Coaching": rows}), "x.xlsx")
    assert book.sheets[0].frame["row"].tolist() == [2, 6, 8]  # a 0 is content; a zero-width space is not
    assert book.sheets[0].frame["nama_pembimbing"].tolist() == ["Budi", "Budi", 0]


def test_hidden_sheet_is_ignored_with_a_finding(tmp_path):
    header = ["Tanggal", "NIP Coachee", "NIP Coach", "Nama Coach"]
    path = write_rows(
        tmp_path / "x.xlsx",
        {
            "Coaching": [header, [D(2025, 3, 3), A, COACH, "Budi"]],
            "Coaching lama": [header, [D(2024, 3, 3), A, COACH, "Budi"]],
        },
        hidden=("Coaching lama",),
    )
    book = read_workbook(path, "x.xlsx")
    assert [s.name for s in book.sheets] == ["Coaching"]
    assert [(f["code"], f["sheet"]) for f in book.findings] == [("SHEET_HIDDEN", "Coaching lama")]
    assert rendered(book.findings) == [
        (
            "Sheet tersembunyi 'Coaching lama' tidak dibaca.",
            "Jika data di sheet itu harus dihitung, tampilkan sheet (Unhide) atau pindahkan datanya.",
        )
    ]


def test_sheet_and_header_not_found(tmp_path):
    path = write_rows(
        tmp_path / "x.xlsx", {"Rekap": [["apa saja"]], "Coaching": [["Judul"], ["tidak ada header"]]}
    )
    assert rendered(read_workbook(path, "x.xlsx").findings) == [
        (
            "Baris judul kolom tidak ditemukan pada 20 baris pertama sheet Coaching.",
            "Pastikan baris judul kolom (mis. Tanggal, NIP Coachee, NIP Coach) ada di 20 baris pertama.",
        )
    ]
    path = write_rows(tmp_path / "y.xlsx", {"Rekap": [["apa saja"]]})
    assert rendered(read_workbook(path, "y.xlsx").findings) == [
        (
            "Tidak ada sheet yang dikenali (sheet yang ada: Rekap).",
            "Gunakan template: sheet Coaching, Mentoring, Evaluasi Coaching, Penilaian Mentor, Pengembangan Lain.",
        )
    ]


def rendered(findings: list[dict]) -> list[tuple[str, str]]:
    """(Pesan, Saran Perbaikan) of file-level findings as the Temuan sheet shows them."""
    from pipeline.findings import render

    frame = pd.DataFrame(findings)
    blank = pd.Series([""] * len(frame))
    table = render(frame, blank, blank)
    return list(zip(table["Pesan"], table["Saran Perbaikan"], strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senin, 3 Maret 2025", D(2025, 3, 3)),
        ("3 Mar 2025", D(2025, 3, 3)),
        ("03-03-2025", D(2025, 3, 3)),
        ("3.3.2025", D(2025, 3, 3)),
        ("2025-03-03", D(2025, 3, 3)),
        ("03/04/2025", D(2025, 4, 3)),
        ("17 Agt 2025", D(2025, 8, 17)),
        ("17 Ags 2025", D(2025, 8, 17)),
        ("1 Okt 2025", D(2025, 10, 1)),
        ("5 Des 2025", D(2025, 12, 5)),
        ("Jumat, 9 Mei 2025", D(2025, 5, 9)),
        (45719.0, D(2025, 3, 3)),
        (dt.datetime(2025, 3, 3, 9, 30), D(2025, 3, 3)),
        ("31/02/2025", None),
        ("Maret", None),
        ("", None),
    ],
)
def test_dates_day_first_in_every_listed_form(text, expected):
    parsed = parse_dates(pd.Series([text], dtype=object)).iloc[0]
    assert (None if pd.isna(parsed) else parsed.date()) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "19850312 201001 2 004",
        "19850312.201001.2.004",
        "'198503122010012004",
        " 198503122010012004\u200b",
        "19850312-201001-2-004",
        "\u00a0198503122010012004\u00a0",
    ],
)
def test_nip_typed_with_separators_is_the_same_nip(typed):
    assert parse_nip(pd.Series([typed], dtype=object))["nip"].iloc[0] == A


def test_nip_stored_as_a_number_is_flagged_not_guessed():
    parsed = parse_nip(pd.Series([198503122010012004.0], dtype=object))
    assert parsed["numeric"].iloc[0] and pd.isna(parsed["nip"].iloc[0])


def test_messy_retyped_copy_gives_the_same_figures_as_the_clean_one(tmp_path):
    sessions = [(D(2025, 3, 3), A), (D(2025, 3, 10), A), (D(2025, 3, 17), A), (D(2025, 4, 1), B)]
    clean, messy = tmp_path / "clean", tmp_path / "messy"
    clean.mkdir()
    messy.mkdir()
    submission(clean, "opd.xlsx", coaching=[coaching_row(d, recipient=n) for d, n in sessions])
    months = ["Januari", "Februari", "Maret", "April"]
    rows = [
        ["REKAP COACHING", None, None],
        [],
        ["NO.", "HARI, TANGGAL", None, None, None, None, "KET"],
        [None, None, "NAMA", "NIP", "NAMA", "NIP", None],
    ]
    for i, (d, nip) in enumerate(sessions, start=1):
        rows.append(
            [
                i,
                f"Senin, {d.day} {months[d.month - 1]} {d.year}",
                f" PEGAWAI {nip[-4:]} ",
                f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
                "Drs.  Bambang Santoso",
                COACH,
                "",
            ]
        )
    rows += [[5], [6]]
    merges = [(2, 2, 2, 3, "COACHEE"), (2, 4, 2, 5, "COACH")]
    write_rows(
        messy / "OPD retyped.xlsx",
        {"Identitas": [["Perangkat Daerah", "Dinas Uji"], ["Tahun", 2025]], "Lap Coaching": rows},
        merges=merges,
    )
    rekap(clean, tmp_path / "out_clean")
    rekap(messy, tmp_path / "out_messy")
    for sheet in ("Rekap Pegawai", "Rekap OPD"):
        a = sheet_rows(tmp_path / "out_clean" / "rekap_2025.xlsx", sheet)
        b = sheet_rows(tmp_path / "out_messy" / "rekap_2025.xlsx", sheet)
        drop = {"Nama"}
        assert [{k: v for k, v in r.items() if k not in drop} for r in a] == [
            {k: v for k, v in r.items() if k not in drop} for r in b
        ]
    assert (
        by_nip(sheet_rows(tmp_path / "out_messy" / "rekap_2025.xlsx", "Rekap Pegawai"))[A]["JP Coaching"] == 8
    )


# ---------------------------------------------------------------- files to refuse politely


def fake_encrypted(path: Path) -> Path:
    body = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 64
    )
    path.write_bytes(body)
    return path


def patched_xlsx(path: Path, member: str, transform) -> Path:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.add_worksheet("Coaching").write(0, 0, "Tanggal")
    wb.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, transform(data) if info.filename == member else data)
    return path


UNREADABLE = "Berkas tidak dapat dibaca: "


@pytest.mark.parametrize(
    ("maker", "code", "message"),
    [
        (
            lambda p: fake_encrypted(p / "rahasia.xlsx"),
            "FILE_ENCRYPTED",
            "Berkas dilindungi kata sandi sehingga tidak dapat dibaca.",
        ),
        (
            lambda p: (p / "rusak.xlsx").write_bytes(b"PK\x03\x04 potongan") and p / "rusak.xlsx",
            "FILE_UNREADABLE",
            UNREADABLE + "berkas rusak (arsip zip tidak utuh).",
        ),
        (
            lambda p: (p / "teks.xlsx").write_text("ini bukan excel") and p / "teks.xlsx",
            "FILE_UNREADABLE",
            UNREADABLE + "isi berkas bukan lembar kerja Excel/ODS.",
        ),
        (
            lambda p: patched_xlsx(
                p / "bom.xlsx",
                "xl/worksheets/sheet1.xml",
                lambda d: d.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1),
            ),
            "FILE_UNREADABLE",
            UNREADABLE + "berisi deklarasi entitas XML yang tidak diizinkan.",
        ),
        (
            lambda p: patched_xlsx(
                p / "sejuta.xlsx",
                "xl/worksheets/sheet1.xml",
                lambda d: d.replace(b'<dimension ref="A1"/>', b'<dimension ref="A1:XFD1048576"/>'),
            ),
            "FILE_UNREADABLE",
            UNREADABLE + "sheet menyatakan 1.048.576 baris x 16.384 kolom, melebihi batas.",
        ),
    ],
)
def test_broken_files_become_one_finding_and_the_run_goes_on(tmp_path, maker, code, message):
    inp = tmp_path / "in"
    inp.mkdir()
    bad = maker(inp)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    submission(inp, "baik.xlsx", coaching=[coaching_row(D(2025, 3, 3))])
    result = rekap(inp, tmp_path / "out")
    file_level = result.report[result.report["File"].eq(bad.name)]
    assert file_level["Kode"].tolist() == [code]
    assert file_level["Pesan"].tolist() == [message]
    assert result.reconciliation["counted"] == 1
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before


def test_lock_and_hidden_files_are_skipped_silently_other_files_listed(tmp_path):
    (tmp_path / "~$opd.xlsx").write_bytes(b"lock")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "surat.docx").write_bytes(b"PK")
    (tmp_path / "sub" / "opd.ods").write_bytes(b"PK")
    assert [f.rel for f in discover(tmp_path)] == ["sub/opd.ods", "sub/surat.docx"]


def test_inputs_stay_byte_identical_and_outputs_hold_no_formula(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    path = submission(
        inp,
        "opd.xlsx",
        coaching=[
            coaching_row(D(2025, 3, 3), nama_penerima='=HYPERLINK("http://x","klik")', bukti="=1+1"),
            coaching_row("=NOW()", recipient=B),
        ],
    )
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    rekap(inp, tmp_path / "out")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    for written in (tmp_path / "out").rglob("*.xlsx"):
        wb = openpyxl.load_workbook(written)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (written.name, ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        assert cell.data_type == "s"
    names = [r["Nama Penerima"] for r in sheet_rows(tmp_path / "out" / "rekap_2025.xlsx", "Detail Kegiatan")]
    assert '=HYPERLINK("http://x","klik")' in names


def test_column_letters_and_indexes_round_trip():
    from pipeline.excel import column_index, column_letter

    assert [column_letter(i) for i in (0, 25, 26, 27, 52)] == ["A", "Z", "AA", "AB", "BA"]
    assert all(column_index(column_letter(i)) == i + 1 for i in range(0, 800))
    assert sorted(["BA", "AB", "Z", "C"], key=column_index) == ["C", "Z", "AB", "BA"]


def test_session_rows_typed_in_chunks_equal_the_rows_typed_at_once(tmp_path, monkeypatch):
    """A big run types its session rows a chunk at a time to free raw cells early; the typed rows, their
    order and their ids must not depend on where the chunks fall (a sheet never splits across chunks)."""
    from pipeline import normalise

    days = [dt.date(2025, m, d) for m in (1, 2, 3) for d in (3, 17)]
    submission(
        tmp_path, "b_dinas.xlsx", coaching=[coaching_row(d) for d in days], mentoring=[coaching_row(days[0])]
    )
    submission(tmp_path, "a_dinas.xlsx", coaching=[coaching_row(d, "A") for d in days[:3]])
    (tmp_path / "c.xlsx").write_bytes((tmp_path / "b_dinas.xlsx").read_bytes())

    def activities() -> pd.DataFrame:
        books = [read_workbook(f.path, f.rel) for f in discover(tmp_path) if f.is_workbook]
        return normalise.collect(books).activities

    whole = activities()
    monkeypatch.setattr(normalise, "TYPE_CHUNK_ROWS", 4)  # every sheet its own chunk but the smallest pairs
    chunked = activities()
    assert len(whole) == 3 + 6 + 1 + 6 + 1 and whole["uid"].tolist() == list(range(1, 18))
    pd.testing.assert_frame_equal(chunked, whole)


def test_typed_columns_are_one_arrow_chunk_whatever_the_number_of_sheets(tmp_path, monkeypatch):
    """pd.concat leaves a column of N sheets in N Arrow chunks, and every filter of such a column costs a
    multiple of a one-chunk one; collect hands on each column whole (pipeline.frames.contiguous), chunked
    typing included."""
    from pipeline import normalise

    for name in ("a.xlsx", "b.xlsx", "c.xlsx"):
        submission(tmp_path, name, coaching=[coaching_row(D(2025, 3, 3)), coaching_row(D(2025, 4, 3))])
    books = [read_workbook(f.path, f.rel) for f in discover(tmp_path) if f.is_workbook]
    monkeypatch.setattr(normalise, "TYPE_CHUNK_ROWS", 2)  # three typed chunks, concatenated again
    acts = normalise.collect(books).activities
    chunks = {
        name: acts[name].array.__arrow_array__().num_chunks
        for name in acts.columns
        if hasattr(acts[name].array, "__arrow_array__")
    }
    assert {"file", "sheet", "kind", "nip_penerima"} <= set(chunks)
    assert set(chunks.values()) == {1}, chunks
