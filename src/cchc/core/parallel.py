"""Forked children for the build's second CPU core, inline where that is not possible.

Used in one visible place during Pelican's work: cchc_search builds its index in a child
(``Background``) while Pelican builds the other contexts and writes the pages; that child in turn
forks a niced writer of the store files (``Forked``) while it makes the term entries, for the core
Pelican leaves once the pages are written. Once the pages are written, ``process_pool`` spreads
independent files over the cores (cchc_precompress's twins, the link check's parsing). A child
inherits the articles and settings through fork (nothing is re-read or pickled on the way in) and
returns only a plain result through a pipe. Where fork is unavailable, only one core is usable
or the site sets ``CCHC_PARALLEL = False``, the same function runs inline at the same point, so
the output is the same either way (tests/site/test_parallel.py builds both and compares the trees).

Earlier builds also converted part of the Markdown in a second child and handed work between
plugins through hooks; that machinery was retired (issue 32): it was invisible to a reader of
the imports and the one-process build with Pelican's content cache is simpler. A fork is not
free either (copy-on-write pages, copied as either process writes): a step of a few tenths of a
second is not worth one.
"""

import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import sys
import traceback


class ChildError(RuntimeError):
    """The work failed in the child process; the message carries the child's traceback."""


def enabled(settings=None):
    """True when a forked child can run beside the build on another core."""
    if settings is not None and not settings.get("CCHC_PARALLEL", True):
        return False
    # Linux only: on macOS a fork without exec is unsafe once system frameworks are loaded
    # (Python itself no longer forks there by default); Windows has no fork.
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        cores = os.cpu_count() or 1
    return cores > 1


def process_pool(jobs, minimum, most=None):
    """A pool of forked processes over the cores for *jobs* independent tasks (at most *most*
    processes), or None where one process does as well: fewer than *minimum* jobs, or no second
    core to fork onto (``enabled``). Used after the pages are written, when the build's cores
    are free: the compressed twins (cchc_precompress) and the link check's parsing."""
    if jobs < minimum or not enabled():
        return None
    from concurrent.futures import ProcessPoolExecutor

    cores = len(os.sched_getaffinity(0))  # enabled(): Linux
    return ProcessPoolExecutor(min(cores, most or cores), mp_context=multiprocessing.get_context("fork"))


def _in_child():
    """First thing in a forked child.

    The objects inherited from the build stay where they are: without gc.freeze the child's
    garbage collector would write to every one of them, copying all their memory pages.

    Logging goes to a plain stderr handler: Pelican's (rich) shares a console lock and a live
    status display with a refresh thread that the child does not have; had that thread held
    them at the moment of the fork, the child's first log line would wait forever."""
    gc.freeze()
    root = logging.getLogger()
    plain = logging.StreamHandler(sys.stderr)
    plain.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for handler in root.handlers:
        for log_filter in handler.filters:
            plain.addFilter(log_filter)
    root.handlers = [plain]


def _child(conn, fn, args):
    _in_child()
    try:
        conn.send(("ok", fn(*args)))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class Background:
    """``fn(*args)`` started now in a forked child (or run inline); ``wait()`` returns its result.

    ``wait`` raises ChildError if the work raised or the child died (killed, out of memory), so
    a failed step fails the build with the reason. The child is a daemon: if the build stops
    before ``wait``, it does not outlive the build."""

    def __init__(self, fn, *args, parallel=True, name="cchc"):
        self.process = None
        if parallel:
            ctx = multiprocessing.get_context("fork")
            self._conn, child_conn = ctx.Pipe(duplex=False)
            self.process = ctx.Process(target=_child, args=(child_conn, fn, args), name=name, daemon=True)
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
            self.process.join(timeout=5)
            status, value = "error", (f"the child process ended without a result (exit code "
                                      f"{self.process.exitcode}; a negative code is the signal that ended it)")
        finally:
            self._conn.close()
            self.process.join()
        if status != "ok":
            raise ChildError(f"{self.process.name}: {value}")
        return value


class Forked:
    """``fn(*args)`` started now in a process forked from this one at a lower CPU priority (*nice*),
    or run inline when *parallel* is false; ``wait()`` waits for it and raises ChildError if it
    failed or died. For work done beside more urgent work: the niced process takes what the others
    leave of the cores (at the end of the index, the core the build's main process no longer uses
    while it waits for it), and is never in their way.

    Made with os.fork, not multiprocessing: a multiprocessing child (the index's, see Background) is
    a daemon, which may not start processes of its own. Its result is only success or the
    traceback; it dies with the process that forked it (Linux's parent-death signal), so a build
    stopped meanwhile leaves no writer behind it."""

    def __init__(self, fn, *args, parallel=True, nice=10, name="cchc"):
        self.name, self.pid = name, None
        if not parallel:
            fn(*args)
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            status, payload = 1, b""
            try:
                os.close(read)
                _die_with_parent()
                _in_child()
                if nice:
                    os.nice(nice)
                fn(*args)
                status, payload = 0, b"ok"
            except BaseException:
                payload = traceback.format_exc().encode("utf-8", "replace")
            finally:
                try:
                    while payload:
                        payload = payload[os.write(write, payload):]
                finally:
                    os._exit(status)
        os.close(write)
        self.pid, self._read = pid, read

    def wait(self):
        if self.pid is None:
            return
        chunks = []
        try:
            while chunk := os.read(self._read, 65536):
                chunks.append(chunk)
        finally:
            os.close(self._read)
            _pid, status = os.waitpid(self.pid, 0)
            self.pid = None
        payload = b"".join(chunks)
        if payload != b"ok" or status != 0:
            reason = payload.decode("utf-8", "replace") or (
                f"the process ended without a result (wait status {status}: {os.waitstatus_to_exitcode(status)}; "
                "a negative code is the signal that ended it)")
            raise ChildError(f"{self.name}: {reason}")


def _die_with_parent():
    """Ask Linux to kill this process when the one that forked it ends (prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: enabled() said no fork there anyway
        pass
