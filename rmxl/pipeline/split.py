"""Work shared between this process and one forked child, when two CPUs are free to take it.

``rmxl validate`` reads and checks each agreements file on its own (issue 14): with two
CPUs, a forked child takes the later files while this process takes the first, and sends
its results back through a pipe as the cache's plain data (:mod:`rmxl.pipeline.codec`).
A fork inherits everything this process has imported and built (the checked taxonomy,
partners and rates), so the child starts working at once and imports nothing.

The results are those of one process, in the same order: the child computes the same
function on the same values. Two processes are used only where they can help and are
safe: Linux (``os.fork``), at least two CPUs this process may run on
(``os.sched_getaffinity``: ``taskset -c 0`` means one), no other thread running (a fork
copies only the calling thread), and enough work (:data:`MIN_WEIGHT`). Anything that goes
wrong in the child (an exception, a signal, a result that does not decode) only makes this
process compute the child's share itself: never a traceback, never another result.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rmxl.pipeline import codec

T = TypeVar("T")

MIN_WEIGHT = 1_000_000
"""Least total weight (bytes of YAML) worth a second process: below it, forking and
sending the results back costs more than it saves (about 3,500 agreements)."""
SHARE = 0.55
"""The part of the weight this process keeps: it also decodes the child's results."""


def cpus() -> int:
    """The CPUs this process may run on (its affinity), 1 where that is unknown."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return 1


def can_split(weight: int) -> bool:
    """Whether :func:`run` would use a second process for ``weight`` of work."""
    return (
        weight >= MIN_WEIGHT
        and sys.platform == "linux"
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and cpus() >= 2
    )


def run(
    fn: Callable[[T], Any],
    items: Sequence[T],
    weights: Sequence[int],
    here: Callable[[], object] | None = None,
    here_weight: int = 0,
) -> list[Any]:
    """``[fn(x) for x in items]``; when :func:`can_split` the later items (about
    ``1 - SHARE`` of the weight) in a forked child. ``fn``'s results must be values the
    cache can store (:func:`rmxl.pipeline.codec.encode`). ``here``: work for this process
    alone (its result is the caller's to keep), of ``here_weight``, run first, while the
    child works: the child may then take every item."""
    cut = _cut(weights, here_weight)
    lowest = 0 if here is not None and here_weight else 1
    if not can_split(sum(weights) + here_weight) or not lowest <= cut < len(items):
        if here is not None:
            here()
        return [fn(x) for x in items]
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        if here is not None:
            here()
        return [fn(x) for x in items]
    if pid == 0:  # the child: compute, send, and leave without running any cleanup
        code = 1
        try:
            os.close(read_end)
            data = json.dumps(codec.encode([fn(x) for x in items[cut:]]), allow_nan=False)
            with open(write_end, "wb") as out:
                out.write(data.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        if here is not None:
            here()
        mine = [fn(x) for x in items[:cut]]
    except BaseException:
        _stop(pid, read_end)
        raise
    theirs = _receive(pid, read_end, len(items) - cut)
    return mine + (theirs if theirs is not None else [fn(x) for x in items[cut:]])


def _cut(weights: Sequence[int], here_weight: int = 0) -> int:
    """How many of the first items this process takes, after ``here_weight`` of its own,
    to make up :data:`SHARE` of the weight (at least one when it has nothing of its own)."""
    total, seen = sum(weights) + here_weight, here_weight
    for i, w in enumerate(weights):
        if seen + w / 2 > total * SHARE:
            return i if here_weight else max(i, 1)
        seen += w
    return len(weights)


def _receive(pid: int, read_end: int, count: int) -> list[Any] | None:
    """The child's results, or None when it failed (then this process computes them)."""
    try:
        with open(read_end, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
    except OSError:
        _stop(pid, None)
        return None
    except BaseException:  # Ctrl-C while waiting: no child is left behind
        _stop(pid, None)
        raise
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    try:
        found = codec.decode(json.loads(data))
    except Exception:  # whatever came back is not a result: compute it here instead
        return None
    return found if isinstance(found, list) and len(found) == count else None


def _stop(pid: int, read_end: int | None) -> None:
    """End and reap the child (this process is leaving on an exception)."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
    if read_end is not None:
        with contextlib.suppress(OSError):
            os.close(read_end)
