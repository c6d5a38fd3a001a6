"""The write stage's independent pieces, shared between this process and one worker process.

The queued pieces form a line both processes take from, each piece begun by exactly one of them: the worker
takes from the front, this process from the back once its own pieces are done (the recap, the one large
piece that cannot be split). So both cores stay busy until the last piece, whichever part of a run turns
out large (findings, sessions, employees, one OPD with half the employees), without a cost model. The
worker gets the line once, when it starts (inherited, where processes are forked), and reports which pieces
it took at the end: an executor handing it pieces one by one queues some ahead, which then cannot be taken
here (seconds idle at the end of a run with one large OPD), or else waits for this busy process at every
piece. Results come back in the order the pieces were given: what a run writes does not depend on which
process wrote it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Piece:
    """One call of a function; a queued piece's must be module-level, so the worker can be sent it."""

    function: Callable[..., Any]
    args: tuple[Any, ...]

    def __call__(self) -> Any:
        return self.function(*self.args)


class Line:
    """The queued pieces not yet begun, `pieces[front:back]`, the two ends shared between the processes."""

    def __init__(self, pieces: list[Piece], context: Any) -> None:
        self.pieces = pieces
        self.lock = context.Lock()
        self.front = context.RawValue("l", 0)
        self.back = context.RawValue("l", len(pieces))

    def begin(self, from_front: bool) -> int | None:
        """The index of the next piece from one end, now taken; None when every piece is."""
        with self.lock:
            if self.front.value >= self.back.value:
                return None
            if from_front:
                self.front.value += 1
                return int(self.front.value - 1)
            self.back.value -= 1
            return int(self.back.value)

    def stop(self) -> None:
        """No piece is begun after this (the pieces under way finish)."""
        with self.lock:
            self.back.value = self.front.value

    def take(self, from_front: bool) -> dict[int, Any]:
        """Run pieces from one end until none is left: {index: result}."""
        done = {}
        try:
            while (index := self.begin(from_front)) is not None:
                done[index] = self.pieces[index]()
        except BaseException:
            self.stop()
            raise
        return done


def share(own: list[Piece], queued: list[Piece], jobs: int) -> tuple[list[Any], list[Any]]:
    """(results of `own`, results of `queued`); with one job everything runs here, in order."""
    if jobs <= 1 or not queued:
        return [piece() for piece in own], [piece() for piece in queued]
    context = multiprocessing.get_context()
    line = Line(queued, context)
    with ProcessPoolExecutor(1, mp_context=context, initializer=_adopt, initargs=(line,)) as pool:
        theirs = pool.submit(_take_from_front)
        try:
            mine = [piece() for piece in own]
            done = line.take(from_front=False)
        except BaseException:
            line.stop()  # the worker finishes its piece and begins no other
            raise
        done.update(theirs.result())
    return mine, [done[index] for index in range(len(queued))]


_LINE: Line | None = None  # the worker's line, set once when it starts


def _adopt(line: Line) -> None:
    global _LINE
    _LINE = line


def _take_from_front() -> dict[int, Any]:
    assert _LINE is not None
    return _LINE.take(from_front=True)
