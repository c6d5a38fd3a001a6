"""Findings -> the Temuan table of SPEC §6 (File · Sheet · Baris · Kolom · Nilai · Tingkat · Kode · Pesan ·
Saran Perbaikan), with the column letter and header as the user sees them, sorted as she reads a workbook."""

from __future__ import annotations

import pandas as pd

from pipeline import layout
from pipeline.excel import column_index
from pipeline.findings import render


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
    labels = headers.fillna(sheet_field.map(canonical))
    report = render(findings, labels.fillna(""), letters)
    report["Perangkat Daerah"] = findings["file"].map(opd_of_file).fillna("").to_numpy()
    report["_col"] = report["Kolom"].map({c: column_index(c) for c in report["Kolom"].unique()})
    report = report.sort_values(["File", "Sheet", "Baris", "_col", "Kode"], kind="stable", ignore_index=True)
    return report.drop(columns="_col")


def _canonical_header(sheet: str, field_name: str) -> str:
    kind = layout.sheet_kind(sheet)
    return layout.header_of(kind, field_name) if kind else field_name
