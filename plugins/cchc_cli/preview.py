"""The dev server's rebuild loop: watch, check, build, tell open tabs (`cchc devserver`, `make studio`).

Each rebuild is the same check + atomic build as `make html` (Pelican in a fresh child
process, so changed plugins are re-imported). What the terminal shows is plain Vietnamese:
the `make check` lines when a post is wrong, one line when Pelican itself failed; Pelican's
own log and any traceback only with ``--debug``. The outcome goes to a PreviewState, which
the server turns into a reload event and, while there are errors, the panel on every page.
"""

import contextlib
import io
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from .livereload import PreviewState, url_paths

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def say(line):
    print(line, flush=True)


def check_lines(content):
    """Run `cchc check` as `make check` does → its LỖI lines (empty when the posts are fine)."""
    env = dict(os.environ, COLUMNS="200")
    plugins = str(Path("plugins").resolve())
    env["PYTHONPATH"] = plugins + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-m", "cchc_cli.cli", "check", str(content)],
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


def report(problems, when):
    if problems:
        for p in problems:
            say(p)
        say(f"Có {len(problems)} lỗi: trình duyệt đang hiện bản tốt gần nhất kèm danh sách lỗi. "
            "Sửa rồi lưu tệp, trang tự tải lại.")
    else:
        say(f"Xong ({when:.1f} giây). Các trang đang mở tự tải lại.")


def run(state: PreviewState, content, settings, output, debug=False, watched=WATCHED, ready=None):
    """Build, then rebuild on every change until KeyboardInterrupt; outcomes go to *state*."""
    watcher = Watcher(watched)
    t = time.perf_counter()
    problems, paths = full_build(content, settings, output, debug)
    state.publish(paths, problems)
    report(problems, time.perf_counter() - t)
    if ready is not None:
        ready.set()
    try:
        while True:
            changes = watcher.next_batch()
            names = ", ".join(sorted({os.path.relpath(c[1]) for c in changes}))
            say(f"Thay đổi: {names}. Đang xây dựng lại…")
            t = time.perf_counter()
            problems, paths = full_build(content, settings, output, debug)
            state.publish(paths, problems)
            report(problems, time.perf_counter() - t)
    finally:
        watcher.stop()
        state.close()
