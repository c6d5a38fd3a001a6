import json
import os
from pathlib import Path

from helpers import folders  # noqa: F401  (fixture)


def pytest_collection_modifyitems(config, items):
    """Under mutmut (make mutation), quickest tests first: a mutant is usually killed by a quick rule test,
    and mutmut stops at the first failure. An ordinary run keeps the files' order."""
    stats = Path("mutmut-stats.json")  # mutmut runs the tests from mutants/, beside its timings
    if not os.environ.get("MUTANT_UNDER_TEST") or not stats.exists():
        return
    durations = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
