"""Build the site into a fresh directory and swap it into place only on success.

A failed build (bad post, template error) leaves the previous ``output/`` untouched,
so `make html` and `make publish` never leave a half-written site behind. The swap is one
atomic exchange of the two folders (``output/`` is never missing, not even for an instant);
one build runs at a time per output folder (a second waits, saying so); folders a killed
build left behind are removed when the next one starts; the Pelican child and its workers
die with the build, however it ends. *checks*
(e.g. the link check) run on the new tree before the swap. Files whose bytes did not
change keep their previous modification time, so rsync, lftp and `aws s3 sync` upload
only what really changed; a rebuild reads only the new files for that, knowing the previous
ones from ``.output-digests`` (see keep_unchanged_mtimes).

The tree the swap replaced stays beside the output as ``.output.old-<n>`` until the next
build, which deletes it (and what killed builds left) while Pelican runs: deleting 15,000
files took 4-6 s of a rebuild's wall time at the end (2,000 posts); beside Pelican it mostly
waits on the disk (rebuild median 33.6 s against 36.1 s, six of each, on a busy disk). It
removes that tree's files but keeps its folders, as ``.output.frame``, and the build after writes
into them instead of an empty folder, removing at the end those no file went into (frame_of).
"""

import contextlib
import ctypes
import errno
import fcntl
import gc
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from cchc.core import outputtree, parallel
from cchc.core.files import interrupt_deferred, umask, write_whole
from cchc.core.sitepaths import STATIC_DIRS

# A fresh Pelican child (see _start_pelican): the same pelican_child as a forked one.
_CHILD = """
import sys
from cchc.cli.build import pelican_child
pelican_child(int(sys.argv[1]), sys.argv[2:])
"""


class BuildFailed(RuntimeError):
    """Pelican exited non-zero or a check failed; the old output was kept."""


def digests_file(output):
    """Beside *output*: what the last build wrote, one line per file: path, size, mtime, inode
    and a digest of its bytes (see keep_unchanged_mtimes; cchc.core.outputtree reads it too)."""
    return Path(outputtree.records_file(output))


def _keep_if_same(path, twin, rel, known):
    """Give *path* the times of *twin* when their bytes are the same; return its record.

    *twin*'s bytes are known without reading it when the last build recorded them and twin
    still has the size, mtime and inode it had then (as git's index trusts a file's stat):
    reading only the new file halves the disk reads. Otherwise both are read and compared.
    Plain os calls on strings: at 15,000 files, Path objects and buffered reads were a third
    of this step. A file that *is* its twin (the same inode: a compressed twin hard-linked from
    cchc_precompress's cache into both trees, 32,000 of a 2,000-post publish's 50,000 files) is
    not read at all when the record knows that inode's digest."""
    st = os.stat(path)
    entry = known.get(rel)
    # The very file the record describes (its inode, which the old tree still holds, size and
    # mtime: linked in by cchc.core.outputtree or cchc_precompress): nothing to read or stat.
    if entry is not None and entry[:3] == (st.st_size, st.st_mtime_ns, st.st_ino):
        return rel, st.st_size, st.st_mtime_ns, st.st_ino, entry[3]
    try:
        old = os.stat(twin)
    except OSError:
        old = None
    # What the record says of the twin still holds: its digest stands for its bytes.
    recorded = old is not None and entry is not None and entry[:3] == (old.st_size, old.st_mtime_ns, old.st_ino)
    if recorded and (st.st_ino, st.st_dev) == (old.st_ino, old.st_dev):
        return rel, st.st_size, st.st_mtime_ns, st.st_ino, entry[3]
    with open(path, "rb", buffering=0) as fh:
        data = fh.read()
    digest = outputtree.digest(data)
    mtime = st.st_mtime_ns
    if old is not None and old.st_size == len(data):
        try:
            if recorded:
                same = entry[3] == digest
            else:
                with open(twin, "rb", buffering=0) as fh:
                    same = fh.read() == data
            if same:
                os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
                mtime = old.st_mtime_ns
        except OSError:
            pass
    return rel, len(data), mtime, st.st_ino, digest


def keep_unchanged_mtimes(new, old, known=None):
    """Give files of *new* that are byte-identical to their twin in *old* the old mtime.
    *known*: outputtree.read_records() of *old*. Returns the records of *new* ([(rel, size,
    mtime_ns, inode, digest)], written by record_text), or None when there is no *old* (a first
    build reads nothing back: the next one compares bytes)."""
    new, old = os.fspath(new), os.fspath(old)
    if not os.path.isdir(old):
        return None
    known = known or {}
    cut = len(os.path.join(new, ""))
    rels = [os.path.join(dirpath, name)[cut:] for dirpath, _dirs, files in os.walk(new) for name in files]
    # One thread: the new tree was just written (the page cache holds it) and most files of a
    # rebuild are not read at all. A pool of four threads (one future per file; chunksize is
    # ignored by threads) took 5.5 s where this loop takes 1.4 s, on a 2,000-post publish tree
    # (50,574 files, 17,000 read) on two cores, 07/12/2026.
    return [_keep_if_same(os.path.join(new, rel), os.path.join(old, rel), rel, known) for rel in rels]


def record_text(new, old, known=None):
    """keep_unchanged_mtimes(), as the text of records_file() (one string: cheap to send from a
    child; written whole after the swap), or None."""
    records = keep_unchanged_mtimes(new, old, known)
    return None if records is None else outputtree.format_records(records)


def child_env(env=None):
    """*env* (default: this process's) with the project's own code first on PYTHONPATH: its
    Pelican plugins (``plugins/``) and, in a checkout that has it, its library (``src/``), so a
    child process builds with the code of the project in the current folder (a worktree of
    another commit too), whatever the editable install points at."""
    env = dict(os.environ if env is None else env)
    own = [str(Path(name).resolve()) for name in ("src", "plugins") if name == "plugins" or Path(name).is_dir()]
    env["PYTHONPATH"] = os.pathsep.join(own + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


class BuildCancelled(BuildFailed):
    """The *meanwhile* step of build() said no; nothing was swapped, Pelican's output dropped."""


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C during build(): *swapped* says whether the new tree had already replaced the output
    (the swap itself is never cut in half: Ctrl-C waits for it). A KeyboardInterrupt still, for
    callers that stop on one."""

    def __init__(self, swapped):
        super().__init__()
        self.swapped = swapped


# Errors of a file system that cannot take what the build writes: said in one Vietnamese line
# (cchc.core.files.os_error_text), not Pelican's traceback.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM,
                          errno.EIO, errno.ENAMETOOLONG})


def run_pelican(content, settings, output, extra_args=(), meanwhile=None, fork=False, started=None):
    """Run Pelican in a child process (fatal on errors), started with the project's plugins.

    A fresh interpreter by default (``python -c _CHILD``): a long-running caller (the preview
    server) gets the plugins as they are on disk at each build. With *fork* (a process started
    for this one build: ``cchc build``), a fork of this process once it has imported Pelican,
    when every module it holds that plugins/ also has comes from there (see _fork_pelican).

    With *meanwhile*, that function runs here while Pelican builds (the staff check of the
    posts, on the core Pelican's start-up leaves free). Pelican's output is held back until
    it returns true, and dropped with the build when it returns false (BuildCancelled): the
    check's messages are then the ones the user needs. *started* is called once the child
    runs (threads are only started after the fork)."""
    argv = [str(content), "-s", str(settings), "-o", str(output), "--fatal", "errors",
            *extra_args]
    # The plugins import cchc.core: src/ is on the child's path too (child_env).
    plugins = str(Path("plugins").resolve())
    if meanwhile is None:
        proc = _start_pelican(argv, plugins, fork)
        if started:
            started()
        try:
            return proc.wait()
        finally:
            _stop_group(proc)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = _start_pelican(argv, plugins, fork, out, err)
        go_on = False
        try:
            if started:
                started()
            go_on = meanwhile()
        finally:
            if not go_on:
                _stop_group(proc)
            try:
                code = proc.wait()
            except BaseException:  # Ctrl-C while Pelican finishes: stop it too, leave nothing running
                _stop_group(proc)
                raise
            # Pelican has ended, but a worker it forked (the search index child) may not have
            # if Pelican failed: left alone it would go on writing into the folder the caller
            # is about to delete (a disk-full build left .output.new-*/tim-kiem/ behind).
            _stop_group(proc)
        if not go_on:
            raise BuildCancelled("cancelled")
        for captured, stream in ((out, sys.stdout), (err, sys.stderr)):
            captured.seek(0)
            stream.write(captured.read().decode("utf-8", errors="replace"))
            stream.flush()
        return code


def _start_pelican(argv, plugins, fork, out=None, err=None):
    """The Pelican child, in its own session (stopping its group stops the workers it forks)."""
    if fork and _forkable(plugins):
        return _fork_pelican(argv, plugins, out, err)
    env = child_env()
    env.setdefault("COLUMNS", "120")
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(os.getpid()), *argv], env=env,
                            stdout=out, stderr=err, start_new_session=True)


def _forkable(plugins):
    """True when a fork of this process builds as a fresh interpreter would: Linux (prctl),
    and every module imported here that the project's plugins/ (or src/) also holds was
    imported from there, so the forked Pelican runs the code of the project it builds."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    root = Path(plugins)
    if not root.is_dir():
        return False
    own = {p.stem if p.suffix == ".py" else p.name: root for p in root.iterdir()}
    lib = root.parent / "src"
    if lib.is_dir():  # a checkout: its library too (a test's throwaway project links only plugins/)
        own.update({p.name: lib for p in lib.iterdir() if p.is_dir()})
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        home = own.get(name.partition(".")[0])
        if home and path and not Path(path).resolve().is_relative_to(home.resolve()):
            return False
    return True


class _Forked:
    """The forked Pelican child: ``pid`` and ``wait()`` as subprocess.Popen has them."""

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def wait(self):
        if self.returncode is None:
            _pid, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def _fork_pelican(argv, plugins, out, err):
    """pelican_child in a fork of this process, in its own session, output to *out*/*err*
    when given. Importing Pelican, Markdown and the plugins is most of a small site's build: a
    fork starts with what this process imported (for the check)."""
    import pelican  # noqa: F401 - before the fork, so the child starts with it

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return _Forked(pid)
    code = 1
    try:
        # What this process imported stays put: the collector never walks it (copying its pages).
        gc.freeze()
        os.setsid()
        for captured, fd in ((out, 1), (err, 2)):
            if captured is not None:
                os.dup2(captured.fileno(), fd)
        sys.path.insert(0, plugins)
        try:
            pelican_child(parent, argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _quiet_summary(console):
    """Leave out Pelican's closing English line ("Done: Processed 9 articles, 0 drafts…"): staff
    read the build's own Vietnamese line; Pelican's warnings and errors still show (issue 31)."""
    shown = console.print

    def print_(*args, **kwargs):
        if args and isinstance(args[0], str) and args[0].startswith("Done: Processed"):
            return
        shown(*args, **kwargs)

    console.print = print_


class _TidyFatal(logging.Filter):
    """On Pelican's logger in the build's child: the record Pelican's ``main`` writes when the
    build stops on an exception carries the whole traceback (54 lines for a full disk). When the
    reason is already said, or can be said in one line, the record is dropped:

    - the disk refused a write (full, quota, file too large, read-only, no permission): one
      Vietnamese line naming the file, relative to the folder being built;
    - an error already logged in Vietnamese: ``--fatal errors`` raises "Warning or error
      encountered" right after it, and a ContentError carries messages logged just before.

    Any other exception keeps its traceback: it is a bug to report."""

    def __init__(self, output):
        super().__init__()
        self.output = os.path.abspath(output)

    def filter(self, record):
        if record.levelno < logging.CRITICAL or not record.exc_info:
            return True
        exc = record.exc_info[1]
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
            from cchc.core.files import os_error_text

            name = exc.filename2 or exc.filename
            where = ""
            if name:
                name = os.path.abspath(os.fsdecode(name))
                where = " " + (os.path.relpath(name, self.output) if name.startswith(self.output + os.sep)
                               else os.path.relpath(name))
            print(f"LỖI không ghi được {'tệp' + where if where else 'một tệp'} của trang: {os_error_text(exc)}.",
                  file=sys.stderr, flush=True)
            return False
        if (isinstance(exc, RuntimeError) and str(exc) == "Warning or error encountered") or \
                type(exc).__name__ == "ContentError":
            return False
        return True


def _output_of(argv):
    return argv[argv.index("-o") + 1] if "-o" in argv else "output"


def pelican_child(parent, argv):
    """Pelican's ``main(argv)`` as the build's child (fresh or forked, in its own session): it
    dies with the build process *parent* (PR_SET_PDEATHSIG), and when it does it takes its own
    process group along (the workers it forked), so no process outlives a build that was
    killed, even by SIGKILL."""
    signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
    _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os.killpg(0, signal.SIGKILL)  # the parent died before prctl
    os.environ.setdefault("COLUMNS", "120")
    from pelican import main
    from pelican.log import console

    if os.environ["COLUMNS"].isdigit():  # a forked child's console took its width before the fork
        console.width = int(os.environ["COLUMNS"])
    sys.argv = ["pelican", *argv]
    _quiet_summary(console)
    logging.getLogger("pelican").addFilter(_TidyFatal(_output_of(argv)))
    # A build makes millions of objects that live until it ends: collecting the youngest
    # generation every 100,000 allocations instead of 700 (the children Pelican forks inherit
    # it) cut 2,000 posts from 23.2 to 22.1 s (medians of 4 alternating runs, CPU 41.3 → 40.2 s)
    # with the same peak memory. Cyclic garbage still goes; gc.disable() kept it all.
    gc.set_threshold(100_000, 10, 10)
    main(argv)


def _stop_group(proc):
    """Kill the child's process group (Pelican and its workers) unless it is already gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)


def _exchange(a, b):
    """Swap two paths in one step (renameat2 RENAME_EXCHANGE): *b* is never missing. False when
    the file system cannot (then the caller renames twice)."""
    fn = getattr(_libc, "renameat2", None)
    if fn is None:
        return False
    if fn(-100, os.fsencode(a), -100, os.fsencode(b), _RENAME_EXCHANGE) == 0:  # AT_FDCWD
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _build_lock(output):
    """One build at a time per output folder: a second one waits, and says why."""
    path = output.with_name(f".{output.name}-build.lock")
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Đang chờ: một lần xây dựng khác đang ghi vào {output.name}/ (cùng thư mục dự án); "
                  "lần này sẽ chạy khi lần kia xong.", file=sys.stderr, flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def leftovers(output):
    """What earlier builds left beside *output*: the tree the last swap replaced
    (.output.old-<n>) and the folders of killed builds (.output.new-*). Listed under the
    lock, so never a running build's."""
    return sorted([*output.parent.glob(f".{output.name}.new-*"),
                   *output.parent.glob(f".{output.name}.old*")])


def _remove(path):
    if path.is_symlink():  # an output/ that was a symlink, swapped out by renaming it
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def frame_of(output):
    """Beside *output*: the folders of a replaced tree, its files removed (``.output.frame``),
    which the next build writes into instead of a new empty folder."""
    return output.with_name(f".{output.name}.frame")


def _strip(path):
    """Remove every file under the folder *path*, keeping its folders; False if that failed."""
    try:
        stack = [os.fspath(path)]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        os.unlink(entry.path)
    except OSError:
        return False
    return True


def _clear_file_places(frame, content):
    """Remove the frame's folders that stand where the build will copy a file: a folder of
    attachments or images under content/ that became a file of the same name (Pelican's copy
    would fail on the folder with a mere warning, and the file would be missing). Every other
    path the build writes is a page's or a plugin's: fixed names and folders per post, which
    never turn from a folder into a file."""
    for folder in STATIC_DIRS:
        top = os.path.join(content, folder)
        for dirpath, _dirs, files in os.walk(top):
            for name in files:
                place = os.path.join(frame, os.path.relpath(os.path.join(dirpath, name), content))
                if os.path.isdir(place) and not os.path.islink(place):
                    shutil.rmtree(place)


def prune_folders(root):
    """Remove the empty folders under *root* (a frame's folders no file of the new tree went into)."""
    for dirpath, _dirs, files in os.walk(root, topdown=False):
        if not files and dirpath != os.fspath(root):
            with contextlib.suppress(OSError):  # not empty: a folder under it holds files
                os.rmdir(dirpath)


def leftover_sweeper(output):
    """A thread, not started, that deletes leftovers(*output*) (unlinking waits on the disk,
    not the CPU, and releases the GIL). build() starts it once Pelican runs and joins it
    before it returns, so it never outlives the build.

    The tree the last swap replaced loses its files but keeps its folders, and becomes the frame
    (frame_of) the next build writes into: a 10,000-post site has 23,000 folders, and making them
    anew just after the folders of the tree before were deleted took the file system (ext4) 3 s
    where finding them took none."""
    paths = leftovers(output)
    frame = frame_of(output)

    def sweep():
        for path in paths:
            if (path.name.startswith(f".{output.name}.old") and not path.is_symlink() and not frame.exists()
                    and _strip(path)):
                with contextlib.suppress(OSError):
                    path.rename(frame)
                    continue
            _remove(path)
    return threading.Thread(target=sweep, name="cchc-sweep", daemon=True)


def build(content="content", settings="pelicanconf.py", output="output", extra_args=(), checks=(),
          meanwhile=None, fork=False):
    """Build into a temporary sibling of *output*, then swap it in (see _build); one at a time.
    *fork*: see run_pelican."""
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(output):
        sweep = leftover_sweeper(output)
        try:
            return _build(content, settings, output, extra_args, checks, meanwhile, fork, sweep.start)
        finally:
            if sweep.ident is None:
                sweep.start()  # Pelican never started: still clear what earlier builds left
            sweep.join()


def _build(content, settings, output, extra_args, checks, meanwhile, fork=False, started=None):
    """Build into a temporary sibling of *output*, then replace *output* with it.

    *meanwhile* (see run_pelican) runs while Pelican builds; if it returns false the build
    is dropped (BuildCancelled) and the old output stays. Each of *checks* is called with
    the new tree's path and returns a list of problems; any problem stops the swap
    (BuildFailed) and the old output stays.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    framed = False
    with contextlib.suppress(OSError):  # the folders of the tree before last, when an earlier build left them
        os.rename(frame_of(output), tmp)  # over the empty folder: one step
        framed = True
    swapped = False
    try:
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes it 0700: a web server serving output/ could not read it
        if framed:
            _clear_file_places(tmp, content)
        # What the new tree shares with the live one is linked from it (cchc.core.outputtree).
        previous = ["-e", f"{outputtree.SETTING}={json.dumps(str(output))}"]
        code = run_pelican(content, settings, tmp, [*extra_args, *previous], meanwhile, fork, started)
        if code != 0:
            raise BuildFailed(
                f"Xây dựng trang thất bại (mã lỗi {code}); thư mục {output.name}/ của lần "
                "xây dựng trước được giữ nguyên."
            )
        if framed:
            prune_folders(tmp)
        digests = digests_file(output)
        # The new tree's record (and the live files' times kept) is made beside the checks, in a
        # child on the other core: it touches only files of the new tree that are its own, which
        # the link check reads but never by their times (1.7 s after a 10,000-post publish, once
        # the check's 4.7 s; the core was idle then).
        recording = parallel.Background(record_text, tmp, output, outputtree.read_records(digests),
                                        parallel=bool(checks) and parallel.enabled(), name="cchc-record")
        try:
            for check in checks:
                problems = check(tmp)
                if problems:
                    raise BuildFailed(
                        f"Kiểm tra bản xây dựng mới thất bại ({len(problems)} lỗi); thư mục "
                        f"{output.name}/ của lần xây dựng trước được giữ nguyên."
                    )
        except BaseException:
            with contextlib.suppress(parallel.ChildError):
                recording.wait()  # not left writing times into the tree being removed
            raise
        records = recording.wait()
        # The replaced tree goes aside for the next build to delete (see the module's docstring).
        old = output.with_name(f".{output.name}.old-{time.time_ns()}")
        with interrupt_deferred():  # Ctrl-C waits until output/ is one tree or the other
            if output.is_dir() and not output.is_symlink() and _exchange(tmp, output):
                swapped = True
                with contextlib.suppress(OSError):  # else tmp holds the old tree: removed below
                    tmp.rename(old)
            else:
                if output.exists() or output.is_symlink():
                    output.rename(old)
                try:
                    tmp.rename(output)
                except OSError:
                    if old.exists() or old.is_symlink():
                        old.rename(output)  # never leave output/ missing
                    raise
                swapped = True
            # The record only spares the next build some reading: a disk that cannot take it
            # (full) costs nothing but that, and must not fail a build that has been swapped in.
            try:
                if records is None:
                    digests.unlink(missing_ok=True)
                else:
                    write_whole(digests, records)  # the renames keep inodes and times: still true
            except OSError:
                with contextlib.suppress(OSError):
                    digests.unlink(missing_ok=True)
    except KeyboardInterrupt:
        raise BuildInterrupted(swapped) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return output
