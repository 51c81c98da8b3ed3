"""The dev server's rebuild loop: watch, check, build, tell open tabs (`cchc devserver`, `make studio`).

Each rebuild is the same check + atomic build as `make html` (Pelican in a fresh child
process, so changed plugins are re-imported). What the terminal shows is plain Vietnamese:
the `make check` lines when a post is wrong, one line when Pelican itself failed; Pelican's
own log and any traceback only with ``--debug``. The outcome goes to a PreviewState, which
the server turns into a reload event and, while there are errors, the panel on every page.
"""

import contextlib
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from .build import child_env
from .livereload import PreviewState, url_paths

WATCHED = ("content", "theme", "plugins", "src", "pelicanconf.py")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def say(line):
    print(line, flush=True)


def die_with_parent():
    """In a child, before exec: SIGTERM when the dev server goes away (Linux PR_SET_PDEATHSIG),
    so a killed dev server or studio leaves no process behind."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def check_lines(content):
    """Run `cchc check` as `make check` does → its LỖI lines (empty when the posts are fine)."""
    env = child_env(dict(os.environ, COLUMNS="200"))
    proc = subprocess.run([sys.executable, "-m", "cchc.cli.cli", "check", str(content)],
                          env=env, capture_output=True, text=True, check=False)
    if proc.returncode == 0:
        return []
    lines = [l for l in proc.stderr.splitlines() if l.startswith("LỖI ")]
    return lines or ["LỖI không kiểm tra được các bài (lệnh `cchc check` dừng bất thường); "
                     "chạy `make check` để xem chi tiết."]


def _pelican_error(log):
    """The first error line of Pelican's log, without colour codes or the traceback."""
    for raw in log.splitlines():
        line = _ANSI.sub("", raw).strip()
        if re.search(r"\b(ERROR|CRITICAL)\b", line):
            return re.sub(r"^\[[^\]]*\]\s*", "", line)[:300]
    return ""


def changed_files(output, since_ns):
    """Files of *output* written by the last build (unchanged ones keep their old mtime)."""
    output = Path(output)
    out = []
    for dirpath, _dirs, files in os.walk(output):
        for name in files:
            path = Path(dirpath, name)
            try:
                if path.stat().st_mtime_ns >= since_ns:
                    out.append(path.relative_to(output))
            except OSError:
                pass
    return out


def full_build(content, settings, output, debug=False):
    """Check and build like `make html`, quietly → (problems, changed URL paths)."""
    from .build import BuildCancelled, BuildFailed, build

    found = []

    def check():
        found.extend(check_lines(content))
        return not found

    start = time.time_ns() - 1_000_000
    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            build(content, settings, output, meanwhile=check)
    except BuildCancelled:
        return found, set()
    except BuildFailed as exc:
        if debug:
            sys.stderr.write(log.getvalue())
        detail = _pelican_error(log.getvalue())
        line = f"LỖI {exc}" + (f" Pelican báo: {detail}" if detail else "")
        return [line + " Chạy lại với --debug để xem toàn bộ nhật ký."], set()
    if debug:
        sys.stderr.write(log.getvalue())
    return [], url_paths(changed_files(output, start))


class Watcher:
    """Batches of changed paths from watchfiles, on a queue (started before the first build)."""

    def __init__(self, paths):
        import watchfiles

        self.queue = queue.Queue()
        ready = threading.Event()
        self._stop = threading.Event()
        paths = [p for p in paths if Path(p).exists()]

        def watch():
            for changes in watchfiles.watch(*paths, yield_on_timeout=True, rust_timeout=300,
                                            stop_event=self._stop, debounce=50, step=20):
                ready.set()
                if changes:
                    self.queue.put(changes)

        threading.Thread(target=watch, daemon=True).start()
        ready.wait(timeout=10)

    def next_batch(self):
        changes = set(self.queue.get())
        while True:  # edits saved during the last build: one rebuild for all
            try:
                changes |= self.queue.get_nowait()
            except queue.Empty:
                return changes

    def stop(self):
        self._stop.set()


class WarmClient:
    """The dev server's side of cchc.cli.warm: start it, ask it to rewrite edited posts."""

    def __init__(self, settings, content, output, debug=False):
        self.args = [sys.executable, "-m", "cchc.cli.warm", str(settings), str(content), str(output)]
        self.debug = debug
        self.proc = None
        self.ready = threading.Event()
        self._lock = threading.Lock()
        self.on_ready = lambda: None
        self.pending = set()

    def start(self):
        """Warm up in the background (a full in-process build); ready is set when it can answer."""
        self.stop()
        self.ready.clear()
        with self._lock:
            self.pending = set()
        env = child_env()
        self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=None if self.debug else subprocess.DEVNULL, text=True, env=env,
                                     preexec_fn=die_with_parent)
        proc = self.proc

        def wait_ready():
            line = proc.stdout.readline()
            if not (line and json.loads(line).get("ready") and proc is self.proc):
                return
            while True:  # edits saved while it warmed up: applied (not written) before it is used
                with self._lock:
                    pending, self.pending = sorted(self.pending), set()
                    if not pending:
                        self.ready.set()
                        break
                for path in pending:
                    if self._ask(path, write=False).get("written") is None:
                        return  # stays not ready; the next change that needs it starts it again
            self.on_ready()

        threading.Thread(target=wait_ready, daemon=True).start()

    def _ask(self, path, write=True):
        with self._lock:
            try:
                self.proc.stdin.write(json.dumps({"path": str(path), "write": write}) + "\n")
                self.proc.stdin.flush()
                return json.loads(self.proc.stdout.readline() or "{}")
            except (OSError, ValueError, AttributeError):
                return {}

    def update(self, path):
        """→ (files written for edited *path* or None, whether the warm state must be rebuilt).

        While warming up, the edit is remembered and applied (without writing) once ready, so
        the warm state never misses it; a new, moved or re-dated post needs a new warm-up."""
        if self.proc is None or self.proc.poll() is not None:
            return None, True
        with self._lock:
            if not self.ready.is_set():
                self.pending.add(str(path))
                return None, False
        written = self._ask(path).get("written")
        return written, written is None

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def fast_candidates(changes, content):
    """Edited posts the warm path may rewrite: only .md files under *content* that exist."""
    root = Path(content).resolve()
    paths = []
    for _change, name in changes:
        path = Path(name).resolve()
        if path.suffix != ".md" or root not in path.parents or not path.is_file():
            return []
        paths.append(path)
    return sorted(set(paths))


def report(problems, when):
    if problems:
        for p in problems:
            say(p)
        say(f"Có {len(problems)} lỗi: trình duyệt đang hiện bản tốt gần nhất kèm danh sách lỗi. "
            "Sửa rồi lưu tệp, trang tự tải lại.")
    else:
        say(f"Xong ({when:.1f} giây). Các trang đang mở tự tải lại.")


def run(state: PreviewState, content, settings, output, debug=False, watched=WATCHED, ready=None,
        fast=True):
    """Build, then rebuild on every change until KeyboardInterrupt; outcomes go to *state*.

    With *fast*, an edit of existing posts first goes through the warm path (cchc.cli.warm:
    the post's page and the home page, rewritten in a fraction of a second, and a reload),
    then the full build runs as always and replaces the whole site."""
    watcher = Watcher(watched)
    warm = WarmClient(settings, content, output, debug) if fast else None
    if warm is not None:
        warm.on_ready = lambda: setattr(state, "warm", True)
    state.building = True
    t = time.perf_counter()
    problems, paths = full_build(content, settings, output, debug)
    state.building = False
    state.publish(paths, problems)
    report(problems, time.perf_counter() - t)
    if warm is not None:
        warm.start()
    if ready is not None:
        ready.set()
    try:
        while True:
            changes = watcher.next_batch()
            names = ", ".join(sorted({os.path.relpath(c[1]) for c in changes}))
            state.building = True
            t = time.perf_counter()
            edited = fast_candidates(changes, content) if warm is not None else []
            written, restart = [], warm is not None and not edited
            for path in edited:
                files, restart = warm.update(path)
                if files is None:
                    written = []
                    break
                written.extend(files)
            if written:
                state.publish(url_paths(written))
                say(f"Đã cập nhật trang của {names} ({time.perf_counter() - t:.2f} giây); "
                    "đang xây dựng lại toàn bộ trang…")
            else:
                say(f"Thay đổi: {names}. Đang xây dựng lại…")
            problems, paths = full_build(content, settings, output, debug)
            state.building = False
            state.publish(paths, problems)
            report(problems, time.perf_counter() - t)
            if restart:
                state.warm = False
                warm.start()  # a new, deleted or non-post file: warm up again on the new site
    finally:
        if warm is not None:
            warm.stop()
        watcher.stop()
        state.close()
