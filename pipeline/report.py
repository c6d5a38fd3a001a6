"""Findings -> the Temuan table of SPEC §6 (File · Sheet · Baris · Kolom · Nilai · Tingkat · Kode · Pesan ·
Saran Perbaikan), with the column letter and header as the user sees them, sorted as she reads a workbook."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline import layout
from pipeline.excel import column_index
from pipeline.findings import NOT_COUNTED, render

ROWS_NOT_COUNTED = "Baris-baris itu tidak dihitung."


def report_frame(
    findings: pd.DataFrame, sheet_layout: pd.DataFrame, submissions: pd.DataFrame
) -> pd.DataFrame:
    """`sheet_layout`: file, sheet, field, letter, header; `submissions`: file, opd (Perangkat Daerah)."""
    opd_of_file = submissions.set_index("file")["opd"]
    lay = sheet_layout.drop_duplicates(["file", "sheet", "field"]).set_index(["file", "sheet", "field"])
    keys = pd.MultiIndex.from_frame(findings[["file", "sheet", "field"]])
    letters = pd.Series(lay["letter"].reindex(keys).to_numpy(), index=findings.index).fillna("")
    headers = pd.Series(lay["header"].reindex(keys).to_numpy(), index=findings.index)
    pairs = findings[["sheet", "field"]].drop_duplicates()
    canonical = {(s, f): _canonical_header(s, f) for s, f in zip(pairs["sheet"], pairs["field"], strict=True)}
    sheet_field = pd.Series(
        list(zip(findings["sheet"].to_numpy(), findings["field"].to_numpy(), strict=True)),
        index=findings.index,
        dtype=object,
    )
    labels = headers.fillna(sheet_field.map(canonical)).fillna("")
    report = render(findings, labels, letters)
    report["Perangkat Daerah"] = findings["file"].map(opd_of_file).fillna("").to_numpy()
    report["Lingkup"] = scope(findings, letters).to_numpy()
    report = one_per_missing_column(report, findings["field"], labels)
    report["_col"] = report["Kolom"].map({c: column_index(c) for c in report["Kolom"].unique()})
    report = report.sort_values(["File", "Sheet", "Baris", "_col", "Kode"], kind="stable", ignore_index=True)
    return report.drop(columns="_col")


# What a finding is about (the report's Lingkup, not written to Temuan): a cell; a column the sheet does not
# have; a whole sheet; a whole file. Marking and the Baris cell follow it.
CELL, COLUMN, SHEET, FILE = "sel", "kolom", "sheet", "berkas"


def scope(findings: pd.DataFrame, letters: pd.Series) -> pd.Series:
    row, sheet = findings["row"].to_numpy(), findings["sheet"].to_numpy()
    has_letter, has_field = letters.ne("").to_numpy(), findings["field"].ne("").to_numpy()
    chosen = np.select(
        [(row > 0) & has_letter, (row > 0) & has_field, row > 0, sheet != ""],
        [CELL, COLUMN, CELL, SHEET],
        FILE,
    )
    return pd.Series(chosen, index=findings.index)


def one_per_missing_column(report: pd.DataFrame, fields: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Findings about a column the sheet does not have become one per sheet, code and column: "Kolom Bukti
    tidak ditemukan di sheet ini (45 baris). Kolom Bukti kosong." (Baris empty), not one per row."""
    column = report["Lingkup"].eq(COLUMN).to_numpy()
    if not column.any():
        return report
    missing = report[column].assign(_field=fields[column].to_numpy(), _label=labels[column].to_numpy())
    keys = ["File", "Sheet", "Kode", "_field"]
    one = missing.drop_duplicates(keys).set_index(keys)
    one["_n"] = missing.groupby(keys, sort=False).size()
    one = one.reset_index()
    one["Pesan"] = (
        "Kolom " + one["_label"] + " tidak ditemukan di sheet ini (" + one["_n"].astype(str) + " baris). "
        + one["Pesan"].str.replace(NOT_COUNTED, ROWS_NOT_COUNTED, regex=False)
    )  # fmt: skip
    one = one.assign(Baris=0, Nilai="").drop(columns=["_field", "_label", "_n"])
    return pd.concat([report[~column], one[report.columns]], ignore_index=True)


def _canonical_header(sheet: str, field_name: str) -> str:
    kind = layout.sheet_kind(sheet)
    return layout.header_of(kind, field_name) if kind else field_name
