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


def start_child(args, **kwargs):
    """subprocess.Popen(*args*, …) of a child that dies with this process (die_with_parent).

    A Ctrl+C that reaches the child while it runs die_with_parent, between fork and exec, fails
    Popen with SubprocessError ("Exception occurred in preexec_fn"), and this process's own
    KeyboardInterrupt can be lost: raised in the fork's after-fork handlers, which ignore
    exceptions (seen once in CI: the studio ended with "LỖI không mong đợi … SubprocessError"
    instead of stopping quietly). die_with_parent itself raises nothing else, so that failure
    is the Ctrl+C, raised here."""
    try:
        return subprocess.Popen(args, preexec_fn=die_with_parent, **kwargs)
    except subprocess.SubprocessError as exc:
        if "preexec_fn" in str(exc):
            raise KeyboardInterrupt from exc
        raise


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
    """The dev server's side of cchc.cli.warm: start it, ask it to rewrite edited posts.

    ``proc`` answers edits once warm. After an edit it took but that leaves its state different
    from a fresh build's (a new date or slug: see Warm.update), a fresh process warms up in the
    background (``next``) while ``proc`` goes on answering, so the next edit stays quick; it
    replaces ``proc`` once it has taken the edits saved meanwhile. A process that could not take
    an edit (a new post, a changed type) is never asked again: until a fresh one is warm, edits
    take the full build only."""

    def __init__(self, settings, content, output, debug=False):
        self.args = [sys.executable, "-m", "cchc.cli.warm", str(settings), str(content), str(output)]
        self.debug = debug
        self.proc = None  # warm, answering edits
        self.next = None  # warming up, to replace proc
        self._lock = threading.Lock()
        self.on_ready = lambda: None
        self.pending = set()  # edits saved while next warms up: applied to it before it is used

    @property
    def ready(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self, keep=False):
        """Warm up a fresh process in the background (a full in-process build). *keep*: the
        current one goes on answering edits until then."""
        with self._lock:
            if not keep:
                _kill(self.proc)
                self.proc = None
            _kill(self.next)
            self.pending = set()
            self.next = proc = start_child(
                self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=None if self.debug else subprocess.DEVNULL, text=True, env=child_env())
        threading.Thread(target=self._warm_up, args=(proc,), daemon=True).start()

    def _warm_up(self, proc):
        try:
            ok = json.loads(proc.stdout.readline() or "{}").get("ready")
        except ValueError:
            ok = False
        while ok:  # (the else below: it did not start, or missed an edit)
            with self._lock:
                if proc is not self.next:
                    return  # replaced meanwhile
                pending, self.pending = sorted(self.pending), set()
                if not pending:
                    old, self.proc, self.next = self.proc, proc, None
                    break
            for path in pending:  # edits saved while it warmed up: applied, not written
                if self._ask(proc, path, write=False).get("written") is None:
                    ok = False  # it missed one: not used; the next change that needs it starts another
                    break
        else:
            with self._lock:
                if proc is self.next:
                    self.next = None
            _kill(proc)
            return
        _kill(old)
        self.on_ready()

    def _ask(self, proc, path, write=True):
        with self._lock:
            try:
                proc.stdin.write(json.dumps({"path": str(path), "write": write}) + "\n")
                proc.stdin.flush()
                return json.loads(proc.stdout.readline() or "{}")
            except (OSError, ValueError, AttributeError):
                return {}

    def update(self, path):
        """Ask the warm process to rewrite edited *path* → its answer: ``written`` (files, or
        None with a Vietnamese ``reason``), ``moved`` (old → new URL path), and ``restart``:
        None, "keep" (warm up a fresh process, this one answering meanwhile) or "fresh" (this
        one cannot be used any more)."""
        with self._lock:
            if self.next is not None:
                self.pending.add(str(path))
        while True:
            with self._lock:
                proc, warming = self.proc, self.next is not None
            if proc is None or proc.poll() is not None:
                return {"written": None, "restart": None if warming else "fresh",
                        "reason": "bản xem trước nhanh đang khởi động" if warming
                        else "bản xem trước nhanh không chạy"}
            answer = self._ask(proc, path)
            if answer or proc is self.proc:
                break
            # replaced by the fresh process (which took this edit) while asked: ask that one
        if answer.get("written") is None:
            with self._lock:
                if self.proc is proc:
                    self.proc = None
            _kill(proc)
            return {"written": None, "restart": None if warming else "fresh",
                    "reason": answer.get("reason") or "bản xem trước nhanh không trả lời"}
        return {"written": answer["written"], "moved": answer.get("moved") or {},
                "restart": "keep" if answer.get("structural") else None}

    def stop(self):
        with self._lock:
            for proc in (self.proc, self.next):
                _kill(proc)
            self.proc = self.next = None


def _kill(proc):
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()


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


class PostUrls:
    """Where each post under content/ is published (its URL path), read from its front matter
    with the rules the build uses (cchc.core: read_document, post_url), so a saved edit that
    changes the address is known: the open tab follows it, the old address says where it went.
    A post that does not read (errors) keeps the address it had."""

    def __init__(self, content, settings):
        self.root = Path(content).resolve()
        self.settings_file = settings
        self.urls = {}
        self._scan = threading.Thread(target=self._read_all, daemon=True)
        self._scan.start()

    def _read_all(self):
        from cchc.core.sitepaths import project_settings

        self.settings = project_settings(self.settings_file)
        for path in sorted(self.root.rglob("*.md")):
            self.refresh(path)

    def url_of(self, path):
        from cchc.core.schema import read_document
        from cchc.core.sitepaths import post_url

        try:
            meta = read_document(os.path.relpath(path), Path(path).read_text(encoding="utf-8")).meta
            return "/" + post_url(meta, self.settings) if meta.get("status") != "draft" else None
        except Exception:  # a post with errors, a file that went away: the check says why
            return None

    def refresh(self, path):
        """Read *path* again → {old URL path: new} when its address changed."""
        path = Path(path).resolve()
        new = self.url_of(path)
        if new is None:
            return {}
        old, self.urls[path] = self.urls.get(path), new
        return {old: new} if old and old != new else {}

    def changes(self, paths):
        self._scan.join()
        moved = {}
        for path in paths:
            if Path(path).suffix == ".md":
                moved.update(self.refresh(path))
        return moved


def page_file(output, url_path):
    """The file of *output* serving URL path "/a/b/" (its index.html)."""
    rel = url_path.lstrip("/")
    return Path(output, rel, "index.html") if rel.endswith("/") or not rel else Path(output, rel)


def report(problems, when, quick="", output=None):
    """The terminal's line on a full build: what the open tabs show now, never more than that."""
    if problems:
        for p in problems:
            say(p)
        if output is not None and not Path(output, "index.html").is_file():
            shown = "chưa có bản tốt nào để hiện"
        elif quick:
            shown = f"trang của {quick} là bản cập nhật nhanh, các trang khác là bản tốt gần nhất"
        else:
            shown = "trình duyệt đang hiện bản tốt gần nhất"
        say(f"Có {len(problems)} lỗi: bản xây dựng không thành công, {shown}, kèm danh sách lỗi. "
            "Sửa rồi lưu tệp, trang tự tải lại.")
    else:
        say(f"Xong ({when:.1f} giây): đã xây dựng lại toàn bộ trang; các trang đang mở có thay đổi tự tải lại.")


def run(state: PreviewState, content, settings, output, debug=False, watched=WATCHED, ready=None,
        fast=True):
    """Build, then rebuild on every change until KeyboardInterrupt; outcomes go to *state*.

    With *fast*, an edit of existing posts first goes through the warm path (cchc.cli.warm:
    the post's page and the home page, rewritten in a fraction of a second, and a reload),
    then the full build runs as always and replaces the whole site. A post whose address
    changed: the reload event carries old → new, open tabs at the old address follow, and the
    old address says where the post went (served by the preview only, never written)."""
    watcher = Watcher(watched)
    warm = WarmClient(settings, content, output, debug) if fast else None
    urls = PostUrls(content, settings)
    if warm is not None:
        warm.on_ready = lambda: setattr(state, "warm", True)
    state.building = True
    t = time.perf_counter()
    problems, paths = full_build(content, settings, output, debug)
    state.building = False
    state.publish(paths, problems)
    report(problems, time.perf_counter() - t, output=output)
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
            moved = urls.changes(sorted({c[1] for c in changes}))
            edited = fast_candidates(changes, content) if warm is not None else []
            written, restart, why = [], "fresh" if warm is not None and not edited else None, ""
            for path in edited:
                answer = warm.update(path)
                restart = answer["restart"] or restart
                if answer["written"] is None:
                    written, why = [], answer["reason"]
                    break
                written.extend(answer["written"])
                moved.update(answer["moved"])
            if warm is not None:
                state.warm = warm.ready
            if written:
                moved = {old: new for old, new in moved.items() if page_file(output, new).is_file()}
                state.publish(url_paths(written), moved=moved)
                say(f"Đã cập nhật trang của {names} ({time.perf_counter() - t:.2f} giây); "
                    "đang xây dựng lại toàn bộ trang…")
                for old, new in sorted(moved.items()):
                    say(f"Bài đã chuyển từ {old} tới {new}: trang đang mở chuyển theo; "
                        f"địa chỉ cũ trong bản xem trước ghi “Bài này đã chuyển tới {new}”.")
            elif edited:
                say(f"Thay đổi: {names}. Chưa cập nhật nhanh được ({why}); đang xây dựng lại toàn bộ trang, "
                    "trang đang mở tự tải lại khi xong…")
            else:
                say(f"Thay đổi: {names}. Đang xây dựng lại toàn bộ trang…")
            problems, paths = full_build(content, settings, output, debug)
            state.building = False
            # only what the new output shows: the new page there, the old one gone
            moved = {old: new for old, new in moved.items()
                     if not problems and page_file(output, new).is_file() and not page_file(output, old).exists()}
            state.publish(paths, problems, moved=moved)
            if not problems:  # an address a new build serves again is no longer "moved"
                state.keep_moved(lambda path: not page_file(output, path).exists())
            report(problems, time.perf_counter() - t, names if written else "", output)
            if not written:  # the quick path said it already
                for old, new in sorted(moved.items()):
                    say(f"Bài đã chuyển từ {old} tới {new}: trang đang mở chuyển theo.")
            if restart:
                state.warm = warm.ready and restart == "keep"
                # keep: a new date or slug was taken; a fresh warm process replaces this one once
                # ready, which answers meanwhile. fresh: a new, deleted or non-post file.
                warm.start(keep=restart == "keep")
    finally:
        if warm is not None:
            warm.stop()
        watcher.stop()
        state.close()
