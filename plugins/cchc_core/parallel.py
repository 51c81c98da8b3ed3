"""The build's use of a second CPU core: forked child processes, inline where that is not possible.

A large site's build is a few CPU-bound passes over every post (search index, document links).
Pelican runs on one core; on the usual two-core host or CI runner these helpers put the second
one to work. They fork (the child inherits the articles and settings as they are, nothing is
re-read) and return only plain results through a pipe. Where fork is unavailable, only one core
is usable or the site sets ``CCHC_PARALLEL = False``, the same functions run inline, so the
output is the same either way (tests/test_parallel.py builds both and compares the trees).

multiprocessing.Pool would also work, but it pickles the function's inputs for every task;
these helpers hand a child its inputs through fork and pickle only results.
"""

import gc
import multiprocessing
import os
import traceback


class ChildError(RuntimeError):
    """The work failed in the child process; the message carries the child's traceback."""


def enabled(settings=None):
    """True when a forked child can run beside the build on another core."""
    if settings is not None and not settings.get("CCHC_PARALLEL", True):
        return False
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        cores = os.cpu_count() or 1
    return cores > 1


def _child(conn, fn, args):
    # The objects inherited from the build stay where they are: without this the child's
    # garbage collector would write to every one of them, copying all their memory pages.
    gc.freeze()
    try:
        conn.send(("ok", fn(*args)))
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class Background:
    """``fn(*args)`` started now in a forked child (or run inline); ``wait()`` returns its result.

    ``wait`` raises ChildError if the work raised or the child died, so a failed step still
    fails the build. The child is a daemon: if the build stops before ``wait``, it does not
    outlive the build."""

    def __init__(self, fn, *args, parallel=True, name="cchc"):
        self.process = None
        if parallel:
            ctx = multiprocessing.get_context("fork")
            self._conn, child_conn = ctx.Pipe(duplex=False)
            self.process = ctx.Process(target=_child, args=(child_conn, fn, args), name=name,
                                       daemon=True)
            self.process.start()
            child_conn.close()
        else:
            self._result = fn(*args)

    def wait(self):
        if self.process is None:
            return self._result
        try:
            status, value = self._conn.recv()
        except EOFError:
            status, value = "error", f"{self.process.name}: the child process ended without a result"
        finally:
            self._conn.close()
            self.process.join()
        if status != "ok":
            raise ChildError(value)
        return value


def _map(fn, items):
    return [fn(item) for item in items]


def fork_map(fn, items, parallel=True):
    """``[fn(x) for x in items]``, the second half computed by a forked child meanwhile.

    Results must be picklable; inputs need not be (the child has them already)."""
    items = list(items)
    if not parallel or len(items) < 2:
        return _map(fn, items)
    half = len(items) // 2
    job = Background(_map, fn, items[half:], parallel=True, name="cchc fork_map")
    first = _map(fn, items[:half])
    return first + job.wait()
