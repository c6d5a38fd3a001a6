"""The write stage's independent pieces, shared between this process and one worker process.

The worker takes the queued pieces in order. This process does its own pieces first (the recap, the one
large piece that cannot be split), then takes the queued pieces the worker has not started, from the end.
So both cores stay busy until the last piece, whichever part of a run turns out large (findings, sessions,
employees), without a cost model. Results come back in the order the pieces were given: what a run writes
does not depend on which process wrote it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Piece:
    """One call of a function; a queued piece's must be module-level, so the worker can be sent it."""

    function: Callable[..., Any]
    args: tuple[Any, ...]

    def __call__(self) -> Any:
        return self.function(*self.args)


def share(own: list[Piece], queued: list[Piece], jobs: int) -> tuple[list[Any], list[Any]]:
    """(results of `own`, results of `queued`); with one job everything runs here, in order."""
    if jobs <= 1 or not queued:
        return [piece() for piece in own], [piece() for piece in queued]
    with ProcessPoolExecutor(max_workers=1) as pool:
        futures = [pool.submit(piece.function, *piece.args) for piece in queued]
        try:
            mine = [piece() for piece in own]
            taken = _take_unstarted(futures, queued)
            return mine, [taken[i] if i in taken else future.result() for i, future in enumerate(futures)]
        except BaseException:
            for future in futures:  # a failure here should not wait for the worker's whole queue
                future.cancel()
            raise


def _take_unstarted(futures: list[Future[Any]], queued: list[Piece]) -> dict[int, Any]:
    """Run here every queued piece the worker has not begun, last first; cancel() fails once it has."""
    taken = {}
    for index in reversed(range(len(futures))):
        if futures[index].cancel():
            taken[index] = queued[index]()
    return taken
