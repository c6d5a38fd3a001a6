"""The write stage's sharing of pieces between this process and one worker (pipeline.workers)."""

import os
import time

import pytest

from pipeline.workers import Piece, share


def _pid_after(seconds: float, tag: int) -> tuple[int, int]:
    time.sleep(seconds)
    return tag, os.getpid()


def _touch_after(seconds: float, path: str) -> None:
    time.sleep(seconds)
    with open(path, "w") as handle:
        handle.write("ran")


def _fail() -> None:
    raise ValueError("rekap gagal")


def test_both_processes_take_queued_pieces_and_results_keep_their_order():
    queued = [Piece(_pid_after, (0.2, tag)) for tag in range(8)]
    (own,), results = share([Piece(os.getpid, ())], queued, jobs=2)
    assert own == os.getpid()
    assert [tag for tag, _ in results] == list(range(8))
    pids = [pid for _, pid in results]
    assert os.getpid() in pids  # this process took the pieces the worker had not begun ...
    assert len(set(pids)) == 2  # ... and the worker did the others
    assert pids[-1] == os.getpid()  # taken from the end


def test_one_job_runs_everything_here_in_order():
    (own,), results = share([Piece(os.getpid, ())], [Piece(_pid_after, (0, t)) for t in range(3)], jobs=1)
    assert results == [(0, own), (1, own), (2, own)]


def test_a_failure_here_cancels_the_worker_pieces_not_yet_begun(tmp_path):
    paths = [str(tmp_path / f"{n}.txt") for n in range(12)]
    with pytest.raises(ValueError, match="rekap gagal"):
        share(
            [Piece(time.sleep, (0.1,)), Piece(_fail, ())], [Piece(_touch_after, (0.3, p)) for p in paths], 2
        )
    ran = [p for p in paths if os.path.exists(p)]
    assert len(ran) <= 2  # what the worker had begun when this process failed; the rest never ran
    assert not os.path.exists(paths[-1])


def test_nothing_waits_in_the_workers_queue_while_this_process_is_idle():
    """One OPD with half the employees: while the worker draws its long piece, this process takes every
    other piece; none is queued ahead to the busy worker (an executor's own queue kept two there)."""
    queued = [Piece(_pid_after, (1.0, 0)), *(Piece(_pid_after, (0.1, tag)) for tag in range(1, 5))]
    _, results = share([], queued, jobs=2)
    pids = [pid for _, pid in results]
    assert pids[0] != os.getpid()
    assert pids[1:] == [os.getpid()] * 4


def test_a_failure_in_the_worker_is_raised_here():
    with pytest.raises(ValueError, match="rekap gagal"):
        share([Piece(time.sleep, (0.3,))], [Piece(_fail, ()), Piece(_pid_after, (0.1, 1))], jobs=2)
