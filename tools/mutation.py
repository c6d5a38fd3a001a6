"""make mutation: mutmut on compute.py, validate.py and normalise.py ([tool.mutmut] in pyproject.toml).

Every mutant (MUTANTS=0, about 2,900, many hours on 2 cores) or a seeded sample drawn from each module in
proportion to its mutants. Prints the score per module as the Markdown table of docs/mutation.md: a mutant is
killed when a test failed or timed out with it, survived when every test that runs its function passed, and
"no tests" when no selected test runs its function; score = killed / (killed + survived + no tests).
`mutmut show NAME` shows a survivor's change, `mutmut browse` all of them.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code  # type: ignore[import-not-found]

MUTMUT = str(Path(sys.executable).with_name("mutmut"))
RESULTS = Path("mutants/pipeline")
KILLED = {"killed", "timeout", "caught by type check"}
SURVIVED = {"survived", "suspicious", "segfault"}


def results() -> dict[str, dict[str, int | None]]:
    """Module file -> {mutant name: mutmut's exit code, None while unchecked}."""
    return {
        meta.name.removesuffix(".meta"): json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for meta in sorted(RESULTS.glob("*.py.meta"))
    }


def generate() -> None:
    """Mutants and mutmut's test-to-function map, without testing any mutant yet."""
    subprocess.run([MUTMUT, "run", "pipeline.no_such_mutant"], capture_output=True, check=False)
    if not results():
        sys.exit("mutmut did not generate mutants: run `.venv/bin/mutmut run` to see why")


def choose(by_module: dict[str, dict[str, int | None]], size: int, seed: int) -> list[str]:
    everyone = sum(len(names) for names in by_module.values())
    chosen: list[str] = []
    for names in by_module.values():
        share = len(names) if size <= 0 else max(1, round(size * len(names) / everyone))
        chosen += random.Random(seed).sample(sorted(names), min(share, len(names)))
    return chosen


def row(name: str, statuses: Counter[str]) -> str:
    killed = sum(statuses[s] for s in KILLED)
    survived = sum(statuses[s] for s in SURVIVED)
    scored = killed + survived + statuses["no tests"]
    score = f"{100 * killed / scored:.1f}%" if scored else "-"
    return f"| {name} | {sum(statuses.values())} | {killed} | {survived} | {statuses['no tests']} | {score} |"


def report(chosen: list[str]) -> None:
    wanted = set(chosen)
    print("| module | mutants | killed | survived | no tests | score |")
    print("|---|---|---|---|---|---|")
    total: Counter[str] = Counter()
    survivors = []
    for module, codes in results().items():
        statuses = Counter(status_by_exit_code[c] for n, c in codes.items() if n in wanted)
        survivors += [n for n, c in codes.items() if n in wanted and status_by_exit_code[c] in SURVIVED]
        total += statuses
        print(row(module, statuses))
    print(row("**all**", total))
    print("\nsurvivors:", *sorted(survivors), sep="\n  ")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, default=300, help="mutants to test; 0 for every one")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--names", type=Path, help="test these mutants (one name a line) instead of a sample")
    args = parser.parse_args()
    generate()
    if args.names:
        known = {name for codes in results().values() for name in codes}
        chosen = [n for n in args.names.read_text(encoding="utf-8").split() if n in known]
    else:
        chosen = choose(results(), args.sample, args.seed)
    (RESULTS.parent / "sample.txt").write_text("\n".join(chosen) + "\n", encoding="utf-8")  # for --names
    subprocess.run(
        [MUTMUT, "run", "--max-children", str(args.jobs), *chosen], capture_output=True, check=False
    )
    report(chosen)


if __name__ == "__main__":
    main()
