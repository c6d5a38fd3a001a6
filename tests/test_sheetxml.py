"""Large tables are serialised column by column (pipeline.sheetxml) and spliced into the workbook: a reader
must see exactly what the cell-by-cell writer gives, with both openpyxl and python-calamine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
import python_calamine as pc

import pipeline.write as write
from pipeline.sheetxml import escape_text
from tests.helpers import A, B, coaching_row, folders, rekap, submission

__all__ = ["folders"]

MESSY = pd.DataFrame(
    {
        "ID": np.arange(1, 6, dtype="int64"),
        "NIP": pd.Series(["198503122010012004", None, "0012", " spasi di depan ", "a&b<c>"], dtype="string"),
        "Tanggal": pd.Series(
            [pd.Timestamp(2025, 3, 3), "31/02/2025", None, dt.date(2025, 1, 2), dt.datetime(2025, 12, 31)],
            dtype=object,
        ),
        "JP": [4.0, 28.8, np.nan, 0.0, 1 / 3],
        "Persentase Memenuhi": [0.5, 0.25, 1.0, 0.0, np.nan],
        "Keterangan": pd.Series(["=SUM(A1)", "baris\nbaru", "kontrol\x01", "x" * 200, None], dtype="string"),
        "Tgl": pd.to_datetime(["2025-01-01", None, "2025-02-03", "2025-03-04", "2025-05-06"]),
        "Campur": pd.Series([1, "dua", 3.5, dt.date(2025, 1, 2), np.True_], dtype=object),
        **{f"K{i}": [f"v{i}"] * 5 for i in range(20)},  # columns past Z: AA, AB, ...
        "Baris": pd.array([2, None, 0, 7, None], dtype="Int64"),  # Temuan: a file-level finding has no row
    }
)


def write_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frame: pd.DataFrame, constant_memory: bool = False
) -> tuple[Path, Path]:
    paths = tmp_path / "cell_by_cell.xlsx", tmp_path / "spliced.xlsx"
    for path, rows in zip(paths, (10**9, 1), strict=True):
        monkeypatch.setattr(write, "SPLICE_ROWS", rows)
        with write.open_workbook(path, constant_memory=constant_memory) as book:
            book.table("Detail Kegiatan", frame, percent=("Persentase Memenuhi",), wrap=("Keterangan",))
            book.table("Kosong", frame.iloc[:0])
    return paths


def openpyxl_cells(path: Path, sheet: str) -> list[list[tuple[str, object, str]]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [[(type(c.value).__name__, c.value, c.number_format) for c in row] for row in ws.iter_rows()]


def calamine_cells(path: Path, sheet: str) -> list[list[tuple[type, object]]]:
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [[(type(v), v) for v in row] for row in rows]


@pytest.mark.parametrize("constant_memory", [False, True])  # True: how a recap over 300k rows is written
def test_a_spliced_table_reads_back_as_the_cell_by_cell_one(tmp_path, monkeypatch, constant_memory):
    plain, spliced = write_both(tmp_path, monkeypatch, MESSY, constant_memory)
    for sheet in ("Detail Kegiatan", "Kosong"):
        assert openpyxl_cells(spliced, sheet) == openpyxl_cells(plain, sheet)
        assert calamine_cells(spliced, sheet) == calamine_cells(plain, sheet)
    a, b = (
        openpyxl.load_workbook(plain)["Detail Kegiatan"],
        openpyxl.load_workbook(spliced)["Detail Kegiatan"],
    )
    assert [b.row_dimensions[r].height for r in range(1, 7)] == [
        a.row_dimensions[r].height for r in range(1, 7)
    ]
    assert (b.freeze_panes, b.auto_filter.ref, b.dimensions) == (a.freeze_panes, a.auto_filter.ref, "A1:AC6")
    assert [b.column_dimensions[c].width for c in ("A", "F", "AB")] == [
        a.column_dimensions[c].width for c in ("A", "F", "AB")
    ]
    assert b["F2"].value == "=SUM(A1)" and b["F2"].data_type == "s"  # user text is never a formula


def test_the_same_table_gives_the_same_bytes(tmp_path, monkeypatch):
    _, first = write_both(tmp_path / "1", monkeypatch, MESSY)
    _, second = write_both(tmp_path / "2", monkeypatch, MESSY)
    assert first.read_bytes() == second.read_bytes()


def test_text_is_escaped_as_xlsxwriter_escapes_it():
    text = pa.array(["a&b", "<t>", "_x0041_", "k\x01", "x" * 40_000, None])
    assert escape_text(text).to_pylist() == [
        "a&amp;b", "&lt;t&gt;", "_x005F_x0041_", "k_x0001_", "x" * 32_767, None
    ]  # fmt: skip


def test_a_whole_run_with_every_table_spliced_reads_the_same(folders, tmp_path, monkeypatch):
    inp, _ = folders
    rows = [coaching_row(dt.date(2025, m, 3)) for m in (1, 2, 3)] + [coaching_row("salah", B)]
    submission(inp, "a.xlsx", opd="Dinas Uji", coaching=rows)
    submission(inp, "b.xlsx", opd="Dinas Dua", coaching=[coaching_row(dt.date(2025, 4, 4), A)])
    rekap(inp, tmp_path / "plain")
    monkeypatch.setattr(write, "SPLICE_ROWS", 1)
    rekap(inp, tmp_path / "spliced")
    rekap(inp, tmp_path / "again")
    books = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*.xlsx"))
    assert len(books) >= 8
    for rel in books:
        for sheet in openpyxl.load_workbook(tmp_path / "plain" / rel).sheetnames:
            plain, spliced = tmp_path / "plain" / rel, tmp_path / "spliced" / rel
            assert openpyxl_cells(spliced, sheet) == openpyxl_cells(plain, sheet), (rel, sheet)
            assert calamine_cells(spliced, sheet) == calamine_cells(plain, sheet), (rel, sheet)
        assert (tmp_path / "spliced" / rel).read_bytes() == (tmp_path / "again" / rel).read_bytes()


def test_wrapped_columns_narrow_in_proportion_until_the_sheet_prints_one_page_wide():
    from pipeline.write import MIN_WRAPPED_WIDTH, PRINTABLE_WIDTH, narrowed

    assert narrowed([20, 50, 60], [False, True, True]) == [20, 50, 60]  # fits already: 130
    shrunk = narrowed([60, 80, 80], [False, True, True])
    assert shrunk == [60, 55, 55] and sum(shrunk) <= PRINTABLE_WIDTH
    assert narrowed([150, 60, 60], [False, True, True]) == [150, 10, 10]  # exactly room for the minimum
    assert narrowed([155, 60, 60], [False, True, True]) == [155, 60, 60]  # 10 + 10 would not fit either
    assert narrowed([100, 100, 100], [False, True, True]) == [100, 35, 35]
    assert narrowed([140, 200, 5], [False, True, True]) == [140, 25, 5]  # the narrow one is left whole
    assert narrowed([140, 200, 5, 30], [False, True, True, False]) == [140, 200, 5, 30]  # 10 would overflow
    assert MIN_WRAPPED_WIDTH == 10
