"""A small version of `make bench`, so the benchmark cannot rot (no timing is asserted)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import bench


def test_bench_smoke(tmp_path):
    folder = bench.generate(tmp_path / "2x300", files=2, rows_per_file=300)
    assert len(list(folder.glob("opd_*.xlsx"))) == 2
    results = bench.bench_case(folder, rounds=1, naive=False)
    text = bench.report("2x300", results)
    assert "600 rows" in text and "rekap / floor" in text
    assert set(results["rekap"][0]["stages"]) == {
        "discover",
        "read",
        "normalise",
        "validate",
        "compute",
        "write",
    }
    # cached: a second generate reuses the folder
    assert bench.generate(folder, files=2, rows_per_file=300) == folder
