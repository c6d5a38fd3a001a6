"""`make bench`: the scale case, the whole rekap per stage, and the floors it is compared with.

Generates (deterministically, cached under bench_data/) F OPD workbooks of N coaching rows each plus a roster,
then measures in one run, alternating:
  * rekap      - `python -m pipeline rekap` in a fresh process (wall time, peak RSS, time per stage);
  * floor      - fastexcel read of every file + one xlsxwriter write of a 15-column detail sheet;
  * naive      - pandas + openpyxl read and write of the same rows (what a hand-written script does).
Results are printed as a table and, with --markdown FILE, appended to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The environment before importing pipeline (which picks pyarrow's allocator through it): the floor and
# the naive script run as the shell would run them, and rekap makes its own choice.
SHELL_ENV = dict(os.environ)

from pipeline.layout import FIELDS  # noqa: E402
from pipeline.write import FIXED_CREATED, WORKBOOK_OPTIONS  # noqa: E402

YEAR = 2025
HEADERS = [f.header for f in FIELDS["coaching"]]


def nip(rng: random.Random, serial: int) -> str:
    birth = dt.date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
    return f"{birth:%Y%m%d}{birth.year + 24}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{serial % 1000:03d}"


def generate(folder: Path, files: int, rows_per_file: int, seed: int = 7) -> Path:
    """F workbooks x N rows, cached: an existing complete folder is reused."""
    stamp = folder / "COMPLETE"
    if stamp.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    per_opd = max(20, rows_per_file // 16)
    people = [[nip(rng, i * per_opd + j) for j in range(per_opd)] for i in range(files)]
    roster = xlsxwriter.Workbook(
        str(folder / "data_pegawai.xlsx"), {**WORKBOOK_OPTIONS, "constant_memory": True}
    )
    roster.set_properties({"created": FIXED_CREATED})
    ws = roster.add_worksheet("Data Pegawai")
    ws.write_row(
        0, 0, ["NIP", "Nama", "Pangkat/Gol", "Jabatan", "Jenis Jabatan", "Perangkat Daerah", "Status"]
    )
    row = 1
    for i, staff in enumerate(people):
        for j, n in enumerate(staff):
            ws.write_row(row, 0, [n, f"Pegawai {i}-{j}", "III/a", "Analis", "JF", f"Dinas {i:03d}", "PNS"])
            row += 1
    roster.close()
    for i, staff in enumerate(people):
        wb = xlsxwriter.Workbook(
            str(folder / f"opd_{i:03d}.xlsx"), {**WORKBOOK_OPTIONS, "constant_memory": True}
        )
        wb.set_properties({"created": FIXED_CREATED})
        date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
        ident = wb.add_worksheet("Identitas")
        ident.write_row(0, 0, ["Perangkat Daerah", f"Dinas {i:03d}"])
        ident.write_row(1, 0, ["Tahun", YEAR])
        ws = wb.add_worksheet("Coaching")
        ws.write_row(0, 0, HEADERS)
        coach = staff[0]
        for r in range(1, rows_per_file + 1):
            k = 1 + rng.randrange(len(staff) - 1)
            recipient = staff[k]
            date = dt.datetime(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
            ws.write_number(r, 0, r)
            ws.write_datetime(r, 1, date, date_format)
            ws.write_string(r, 2, recipient if r % 997 else recipient[:-1])  # a few bad NIPs
            ws.write_string(r, 3, f"Pegawai {i}-{k}")
            ws.write_string(r, 4, "III/a")
            ws.write_string(r, 5, "Analis")
            ws.write_string(r, 6, f"Bidang {r % 5}")
            ws.write_string(r, 7, coach)
            ws.write_string(r, 8, f"Pegawai {i}-0")
            ws.write_string(r, 9, "IV/a")
            ws.write_string(r, 10, "Kepala Bidang")
            ws.write_string(r, 11, f"Dinas {i:03d}")
            ws.write_string(r, 12, "Nasional")
            ws.write_string(r, 13, "Luring")
            ws.write_string(r, 14, "Penyusunan laporan")
            ws.write_string(r, 15, "Tugas pokok")
            ws.write_string(r, 16, "Diskusi")
            ws.write_string(r, 17, f"bukti_{r}.pdf")
        wb.close()
    stamp.write_text("ok\n")
    return folder


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_rekap(folder: Path, out: Path) -> dict:
    code = (
        "import json, resource, sys, time; from pathlib import Path;"
        "from pipeline.run import RunConfig, run, default_jobs;"
        "t=time.perf_counter();"
        f"r=run(RunConfig(input=Path({str(folder)!r}), output=Path({str(out)!r}), year={YEAR}, jobs=default_jobs()));"
        "print(json.dumps({'wall': time.perf_counter()-t, 'stages': r.timings, 'rows': r.reconciliation['rows_read'],"
        "'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=SHELL_ENV
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - start
    return result


FLOOR = """
import sys, time, xlsxwriter, fastexcel, pandas as pd
from pathlib import Path
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
t = time.perf_counter()
frames = []
for p in sorted(folder.glob('opd_*.xlsx')):
    frames.append(fastexcel.read_excel(str(p)).load_sheet_by_name('Coaching').to_pandas())
df = pd.concat(frames, ignore_index=True)
read = time.perf_counter() - t
wb = xlsxwriter.Workbook(str(out), {'constant_memory': True, 'strings_to_formulas': False})
ws = wb.add_worksheet('Detail')
cols = list(df.columns[:15])
ws.write_row(0, 0, cols)
values = df[cols].astype(str).values.tolist()
for i, row in enumerate(values, start=1):
    ws.write_row(i, 0, row)
wb.close()
print(read, time.perf_counter() - t, len(df))
"""

NAIVE = """
import sys, time, pandas as pd
from pathlib import Path
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
t = time.perf_counter()
df = pd.concat([pd.read_excel(p, sheet_name='Coaching', engine='openpyxl') for p in sorted(folder.glob('opd_*.xlsx'))])
df.to_excel(out, sheet_name='Detail', index=False, engine='openpyxl')
print(time.perf_counter() - t, len(df))
"""


def run_script(script: str, *args: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True, env=SHELL_ENV
    )
    return [float(x) for x in done.stdout.split()]


def bench_case(folder: Path, rounds: int, naive: bool) -> dict:
    out = folder.parent / f"{folder.name}_out"
    results: dict = {"rekap": [], "floor": [], "naive": []}
    for _ in range(rounds):  # alternating, so a noisy neighbour hits all three alike
        results["rekap"].append(run_rekap(folder, out))
        results["floor"].append(run_script(FLOOR, str(folder), str(out / "floor.xlsx")))
        if naive:
            results["naive"].append(run_script(NAIVE, str(folder), str(out / "naive.xlsx")))
    return results


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def report(name: str, results: dict) -> str:
    rekap = results["rekap"]
    wall = median([r["wall"] for r in rekap])
    rows = rekap[0]["rows"]
    floor = median([f[1] for f in results["floor"]])
    floor_read = median([f[0] for f in results["floor"]])
    stages = {k: median([r["stages"][k] for r in rekap]) for k in rekap[0]["stages"]}
    lines = [
        f"### {name}: {rows:,} rows",
        "",
        "| measure | seconds |",
        "|---|---|",
        f"| rekap (whole run) | {wall:.1f} |",
        *[f"| - {k} | {v:.1f} |" for k, v in stages.items()],
        f"| floor: fastexcel read | {floor_read:.1f} |",
        f"| floor: read + one 15-column xlsxwriter write | {floor:.1f} |",
    ]
    if results["naive"]:
        naive = median([n[0] for n in results["naive"]])
        lines.append(f"| naive pandas + openpyxl read and write | {naive:.1f} |")
        lines += ["", f"rekap / floor = {wall / floor:.2f}; naive / rekap = {naive / wall:.2f}"]
    else:
        lines += ["", f"rekap / floor = {wall / floor:.2f}"]
    lines += [
        f"time per 1,000 rows: {1000 * wall / rows:.3f} s; peak RSS of rekap: "
        f"{max(r['rss_mb'] for r in rekap):,.0f} MB",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--rows", type=int, default=5000, help="session rows per workbook")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--data", type=Path, default=ROOT / "bench_data")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    name = f"{args.files}x{args.rows}"
    folder = generate(args.data / name, args.files, args.rows)
    text = report(name, bench_case(folder, args.rounds, not args.no_naive))
    print(text)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
