"""Fork helpers for the build's second CPU core: forked child processes, inline where that is not possible.

Which steps use them, and when, is decided in one place: plugins/cchc_pipeline.

A large site's build is a few CPU-bound passes over every post: converting Markdown, building
the search index, rendering pages. Pelican runs on one core; on the usual two-core host or
CI runner these helpers put the second one to work. They fork (the child inherits the
articles and settings as they are, nothing is re-read) and return only plain results through
a pipe. Where fork is unavailable, only one core is usable or the site sets
``CCHC_PARALLEL = False``, the same functions run inline, so the output is the same either
way (tests/site/test_parallel.py builds both and compares the trees).

A fork of the build process is not free (its memory is shared copy-on-write, and every page
either process then writes is copied): a step of a few tenths of a second is not worth one.
Measured at 2,000 posts, splitting the document links over two processes made the build
slower once they took 0.3 s, so they are done inline.

multiprocessing.Pool would also work, but it pickles the function's inputs for every task;
these helpers hand a child its inputs through fork and pickle only results.
"""

import gc
import logging
import multiprocessing
import os
import sys
import threading
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


def _child(conn, fn, args, inbox=None):
    _in_child()
    try:
        if inbox is not None:
            receive, parent_end = inbox
            parent_end.close()  # the child only reads; EOF if the build process never sends
            args = (*args, _Receiver(receive))
        conn.send(("ok", fn(*args)))
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class _Receiver:
    """In the child: the inbox value, read by a thread as soon as it is sent, so the build
    process never waits on a full pipe while the child is busy; calling it waits for it."""

    def __init__(self, conn):
        self._conn, self._got = conn, []
        self._thread = threading.Thread(target=self._read, name="cchc-inbox", daemon=True)
        self._thread.start()

    def _read(self):
        try:
            self._got.append(self._conn.recv())
        except EOFError:
            pass
        finally:
            self._conn.close()

    def __call__(self):
        self._thread.join()
        if not self._got:
            raise ChildError("the build process sent this child nothing (it ended or failed first)")
        return self._got[0]


class Background:
    """``fn(*args)`` started now in a forked child (or run inline); ``wait()`` returns its result.

    ``wait`` raises ChildError if the work raised or the child died, so a failed step still
    fails the build. The child is a daemon: if the build stops before ``wait``, it does not
    outlive the build.

    With *inbox*, ``fn`` gets one more argument: in the child, a callable that waits for the
    value the build process gives ``send()`` later (a result it makes meanwhile); inline, None
    (``fn`` then makes that value itself, and ``send`` does nothing)."""

    def __init__(self, fn, *args, parallel=True, name="cchc", inbox=False):
        self.process = None
        self._inbox = None
        if parallel:
            ctx = multiprocessing.get_context("fork")
            self._conn, child_conn = ctx.Pipe(duplex=False)
            inbox_ends = None
            if inbox:
                receive, self._inbox = ctx.Pipe(duplex=False)
                inbox_ends = (receive, self._inbox)
            self.process = ctx.Process(target=_child, args=(child_conn, fn, args, inbox_ends), name=name,
                                       daemon=True)
            self.process.start()
            child_conn.close()
            if inbox:
                receive.close()
        else:
            self._result = fn(*args, None) if inbox else fn(*args)

    def send(self, value):
        """Give the child its inbox value (once; nothing to do inline or without an inbox)."""
        if self._inbox is not None:
            try:
                self._inbox.send(value)
            except BrokenPipeError:
                pass  # the child has ended (failed): wait() reports why
            finally:
                self._inbox.close()
                self._inbox = None

    def wait(self):
        if self.process is None:
            return self._result
        if self._inbox is not None:  # never sent: the child gets EOF and fails, it does not hang
            self._inbox.close()
            self._inbox = None
        try:
            status, value = self._conn.recv()
        except EOFError:
            status, value = "error", f"{self.process.name}: the child process ended without a result"
        finally:
            self._conn.close()
            self.process.join()
        if status != "ok":
            raise ChildError(f"{self.process.name}: {value}")
        return value


def _stream_child(conn, fn, items, chunk):
    _in_child()
    try:
        for start in range(0, len(items), chunk):
            conn.send(("ok", [fn(item) for item in items[start : start + chunk]]))
        conn.send(("end", None))
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class StreamMap:
    """``fn(item)`` for each of *items*, computed ahead by a forked child, in order.

    ``get(i)`` returns result *i*, waiting for it if it has not arrived. ``poll()`` collects
    what has arrived without waiting: a caller busy with other work calls it now and then,
    so the child never stalls on a full pipe. Inline (one core, CCHC_PARALLEL = False),
    ``get`` computes the result when asked."""

    def __init__(self, fn, items, parallel=True, chunk=16, name="cchc stream"):
        self._fn, self._items = fn, list(items)
        self._results = []
        self._process = None
        if parallel and self._items:
            ctx = multiprocessing.get_context("fork")
            self._conn, child_conn = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_stream_child, name=name, daemon=True,
                                        args=(child_conn, fn, self._items, chunk))
            self._process.start()
            child_conn.close()

    def _receive(self):
        try:
            status, value = self._conn.recv()
        except EOFError:
            status, value = "error", f"{self._process.name}: the child process ended early"
        if status == "ok":
            self._results.extend(value)
            return
        self._conn.close()
        self._process.join()
        self._process = None
        if status == "error":
            raise ChildError(value)

    def poll(self):
        while self._process is not None and self._conn.poll():
            self._receive()

    def get(self, index):
        if self._process is None and index >= len(self._results):
            return self._fn(self._items[index])  # inline
        while index >= len(self._results):
            self._receive()
        return self._results[index]
