"""pandera schemas at the pipeline's boundaries.

Cell-level schemas name each check after the finding code it produces, so lazy validation's failure cases
turn straight into findings (`failure_findings`). The output tables have theirs in `schemas.tables`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.findings import KESALAHAN, PERINGATAN, RULES
from pipeline.layout import ACTIVITY_KINDS
from pipeline.terms import DIHITUNG, JENIS_JABATAN, STATUSES, STRUKTURAL

NIP_PATTERN = r"^[0-9]{18}$"


def nip_text_schema(columns: list[str]) -> pa.DataFrameSchema:
    """NIP cells typed as text must hold 18 digits once spaces, dots, dashes and apostrophes are removed."""
    check = pa.Check.str_matches(NIP_PATTERN, name="NIP_FORMAT")
    return pa.DataFrameSchema({c: pa.Column("string", check, nullable=True) for c in columns}, strict=False)


def score_schema(columns: list[str]) -> pa.DataFrameSchema:
    """P1-P9 of the Formulir Evaluasi Coaching: an integer 1-3, never empty."""
    check = pa.Check.isin([1.0, 2.0, 3.0], name="SCORE_RANGE")
    return pa.DataFrameSchema({c: pa.Column("float64", check, nullable=False) for c in columns}, strict=False)


def failure_findings(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """(index, column, code) of every failing cell, one row per cell; not-null failures take the column's code."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna() & cases["column"].notna()]
        codes = {name: next(iter(col.checks)).name for name, col in schema.columns.items() if col.checks}
        out = pd.DataFrame(
            {"index": cases["index"].astype("int64"), "column": cases["column"].astype(str)}
        ).drop_duplicates()
        out["code"] = out["column"].map(codes)
        return out.reset_index(drop=True)
    return pd.DataFrame({"index": pd.Series(dtype="int64"), "column": [], "code": []})


SESSION_SCHEMA = pa.DataFrameSchema(
    {
        "uid": pa.Column("int64", unique=True),
        "status": pa.Column("string", pa.Check.isin(STATUSES)),
        "jp": pa.Column("float64", pa.Check.ge(0)),
    },
    checks=[
        pa.Check(lambda df: (df["jp"] == 0) | (df["status"] == DIHITUNG), name="jp_only_when_counted"),
        pa.Check(
            lambda df: (
                (df["status"] != DIHITUNG) | df["nip_penerima"].str.fullmatch(NIP_PATTERN).fillna(False)
            ),
            name="counted_rows_have_a_nip",
        ),
    ],
    strict=False,
)

# ---------------------------------------------------------------------------------- stage contracts
# The frames that cross a stage, checked where they cross it (pipeline.run): a failure here is a bug of
# this program, not of a submission, and stops the run before anything is written.


def _datetime(series: pd.Series) -> bool:
    return series.empty or pd.api.types.is_datetime64_any_dtype(series)


def is_text(series: pd.Series) -> bool:
    """Text whatever its dtype: a string dtype, or an object column of Python str (as pandas leaves some)."""
    return (
        series.empty
        or pd.api.types.is_string_dtype(series)
        or bool(series.map(lambda v: isinstance(v, str)).all())
    )


def _text(nullable: bool = True) -> pa.Column:
    return pa.Column(None, pa.Check(is_text, name="is_text"), nullable=nullable)


ACTIVITIES_SCHEMA = pa.DataFrameSchema(
    {
        "uid": pa.Column("int64", unique=True),
        "file": _text(nullable=False),
        "sheet": _text(nullable=False),
        "row": pa.Column("int64", pa.Check.ge(1)),
        "kind": pa.Column(None, pa.Check.isin(list(ACTIVITY_KINDS))),
        "opd": _text(),
        "tanggal": pa.Column(None, pa.Check(_datetime, name="is_datetime"), nullable=True),
        "tanggal_selesai": pa.Column(None, pa.Check(_datetime, name="is_datetime"), nullable=True),
        "submitted": pa.Column(None, pa.Check(_datetime, name="is_datetime"), nullable=True),
        "nip_penerima": pa.Column("string", nullable=True),
        "nip_pembimbing": pa.Column("string", nullable=True),
        "nama_penerima": _text(),
        "skala": _text(),
        "jenis_text": _text(),
        "jp_program": pa.Column("float64", nullable=True),
        "jumlah_hari": pa.Column("float64", nullable=True),
    },
    strict=False,
    name="normalised activities",
)

ROSTER_SCHEMA = pa.DataFrameSchema(
    {
        "uid": pa.Column("int64", unique=True),
        "nip": pa.Column("string", nullable=True),
        "nama": _text(),
        "opd": _text(),
        "jenis_jabatan": pa.Column(None, pa.Check.isin([*JENIS_JABATAN, STRUKTURAL]), nullable=True),
        "status": _text(),
        "aktif": pa.Column("bool"),
    },
    strict=False,
    name="roster",
)

FINDINGS_SCHEMA = pa.DataFrameSchema(
    {
        "uid": pa.Column("int64"),
        "file": _text(nullable=False),
        "sheet": _text(nullable=False),
        "row": pa.Column("int64", pa.Check.ge(0)),
        "field": _text(nullable=False),
        "value": _text(nullable=False),
        "code": pa.Column(None, pa.Check.isin(list(RULES))),
    },
    strict=False,
    name="findings",
)

REPORT_SCHEMA = pa.DataFrameSchema(
    {
        "File": _text(nullable=False),
        "Sheet": _text(nullable=False),
        "Baris": pa.Column("int64", pa.Check.ge(0)),
        "Kolom": pa.Column(None, pa.Check.str_matches(r"^[A-Z]{0,3}$")),
        "Tingkat": pa.Column(None, pa.Check.isin([KESALAHAN, PERINGATAN])),
        "Kode": pa.Column(None, pa.Check.isin(list(RULES))),
        "Pesan": _text(nullable=False),
        "Saran Perbaikan": _text(nullable=False),
    },
    strict=False,
    name="Temuan",
)
