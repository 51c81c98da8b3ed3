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


class ChildOutput:
    """Mixin for a Generator whose ``generate_output`` only renders its own pages from the
    finished context (listings, document pages): a child process writes them while Pelican
    writes the others.

    Subclasses implement ``write_pages(writer)`` and call ``self.want_child_output()`` at
    the end of ``generate_context``. The plugin connects ``start_child_outputs`` to
    ``signals.get_writer``, which Pelican sends once every context is final (summaries'
    links refreshed included), right before it writes the first page."""

    _pending = []

    def want_child_output(self):
        self._output_job = None
        ChildOutput._pending.append(self)

    def write_pages(self, writer):
        raise NotImplementedError

    def generate_output(self, writer):
        job = getattr(self, "_output_job", None)
        if job is None:
            self.write_pages(writer)
        else:
            job.finish(self.write_pages, writer)


def start_child_outputs(pelican):
    """get_writer receiver: start the OutputJob of every ChildOutput generator of this build."""
    pending, ChildOutput._pending[:] = list(ChildOutput._pending), []
    for generator in pending:
        if generator.settings is pelican.settings:
            generator._output_job = OutputJob(generator.write_pages, generator.output_path,
                                              generator.settings,
                                              name=f"{type(generator).__name__} pages")


class OutputJob:
    """A generator's pages written by a forked child while Pelican writes the others.

    For generators whose ``generate_output`` only renders templates from the finished
    context into files of their own (listings, document pages). Start it once the context
    is final and before Pelican writes anything (the ``get_writer`` signal); the child
    renders with its own Writer. ``finish`` waits for it and re-sends ``content_written``
    for every file it wrote (cchc_seo lists them in the sitemap), with the same context
    keys those plugins read: these generators' pages show no single article or page."""

    def __init__(self, write, output_path, settings, name):
        self._job = Background(self._run, write, output_path, settings,
                               parallel=enabled(settings), name=name)

    @staticmethod
    def _run(write, output_path, settings):
        from pelican import signals
        from pelican.writers import Writer

        written = []

        def note(path, context=None):
            written.append(path)

        if enabled(settings):  # in the child: collect what is written, report it back
            signals.content_written.connect(note, weak=False)
            write(Writer(output_path, settings=settings))
            return written
        return None  # inline: the build's own writer writes later, in finish()

    def finish(self, write, writer):
        from pelican import signals

        written = self._job.wait()
        if written is None:
            write(writer)
            return
        for path in written:
            signals.content_written.send(path, context={})
