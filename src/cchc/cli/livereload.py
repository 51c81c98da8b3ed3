"""What the preview server adds to the pages it serves: live reload and the error panel.

Nothing here is ever written into ``output/``: the built site stays byte for byte what
`make html` writes, and the production site never carries the reload script. The server
inserts, into each HTML page it serves, a stylesheet and a script from ``/__cchc/`` (same
origin, so a ``script-src 'self'`` Content-Security-Policy still holds) and, while the last
build failed, a Vietnamese panel at the top of the page listing what `make check` prints.
The script listens on ``/__cchc/events`` (Server-Sent Events) and reloads the tab when a
build changed the page it shows, or when the list of errors changed.
"""

import html
import json
import threading
import time
from pathlib import Path
from urllib.parse import unquote

PREFIX = "/__cchc/"
_HERE = Path(__file__).resolve().parent
ASSETS = {
    "reload.js": ("text/javascript; charset=utf-8", _HERE / "livereload.js"),
    "panel.css": ("text/css; charset=utf-8", _HERE / "livereload.css"),
}
HEARTBEAT_S = 15
EDITOR_PREFIX = "/admin/"  # cchc_studio's default URL


class PreviewState:
    """The last build's outcome, shared by the builder thread and the request handlers."""

    def __init__(self):
        self.problems = []  # Vietnamese lines, as `make check` prints them
        self.version = 0
        self.last_event = {"version": 0, "paths": [], "errors": 0}
        self._cond = threading.Condition()
        self.closed = False
        self.building = False
        self.warm = False  # the fast path (cchc.cli.warm) is ready
        self.moved = {}  # URL path a post left → where it is now (this preview session's edits)

    def publish(self, paths, problems=None, moved=None):
        """A build ended: *paths* are the URL paths it changed ("*" = every page); *moved*:
        old → new URL path of posts whose address the edit changed (open tabs there follow)."""
        with self._cond:
            if problems is not None:
                if problems != self.problems:
                    paths = ["*"]
                self.problems = list(problems)
            for old, new in (moved or {}).items():
                for earlier, now in list(self.moved.items()):
                    if now == old:  # moved twice: the first address points at the last one
                        self.moved[earlier] = new
                self.moved.pop(new, None)
                self.moved[old] = new
            self.moved = {old: new for old, new in self.moved.items() if old != new}
            self.version += 1
            self.last_event = {"version": self.version, "paths": sorted(paths),
                               "errors": len(self.problems), "moved": dict(moved or {}), "sent": time.time()}
            self._cond.notify_all()
            return self.last_event

    def keep_moved(self, keep):
        """Forget the moves whose old address *keep*(path) says is served again."""
        with self._cond:
            self.moved = {old: new for old, new in self.moved.items() if keep(old)}

    def moved_to(self, path):
        """Where the post once at URL path *path* is now, or None."""
        path = unquote(path)
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.moved.get(path) or self.moved.get(path + "/")

    def wait(self, after, timeout):
        """Block until an event newer than version *after* (or *timeout*); → event or None."""
        with self._cond:
            self._cond.wait_for(lambda: self.version > after or self.closed, timeout=timeout)
            return self.last_event if self.version > after else None

    def close(self):
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def panel_html(problems):
    """The Vietnamese error panel shown at the top of every page while a build has failed."""
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return (
        # First in <body>; reload.js scrolls to it and focuses it (tabindex=-1) on every load, so
        # a tab that reloads on a bad save shows it, not the scroll position it had (issue 31).
        '<section id="cchc-preview-errors" class="cchc-preview-errors" role="alert" tabindex="-1"'
        ' aria-labelledby="cchc-preview-errors-title">\n'
        f'<h2 id="cchc-preview-errors-title">Bản xem trước chưa cập nhật: có {len(problems)} lỗi</h2>\n'
        "<p>Trang bên dưới là bản xây dựng tốt gần nhất. Sửa các lỗi sau rồi lưu tệp; "
        "trang sẽ tự tải lại. Đây cũng là những dòng <code>make check</code> in ra.</p>\n"
        f'<ul class="cchc-preview-errors__list">\n{items}\n</ul>\n</section>\n'
    )


def moved_html(path, target):
    """The page the preview serves at an address a post left during this session (never
    written into output/: the published site answers there as any missing page, unless the
    post lists the old address in ``old_paths``)."""
    old, new = html.escape(path), html.escape(target)
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Bài này đã chuyển tới {new}</title>\n</head>\n<body>\n"
        '<main class="cchc-preview-moved">\n'
        f'<h1>Bài này đã chuyển tới <a href="{new}">{new}</a></h1>\n'
        f"<p>Tiêu đề hoặc đường dẫn (<code>slug</code>) của bài vừa được sửa, nên địa chỉ <code>{old}</code> "
        "không còn trang này. Trang chỉ có trong bản xem trước: trên trang đã đăng, địa chỉ cũ báo "
        "“Không tìm thấy trang”.</p>\n"
        "<p>Nếu địa chỉ cũ đã được đăng hoặc gửi đi, hãy thêm nó vào bài để địa chỉ cũ tự chuyển tới "
        f"địa chỉ mới: <code>old_paths: [{old}]</code>.</p>\n</main>\n</body>\n</html>\n"
    )


def inject(page, problems, version=0):
    """*page* (HTML text) with the preview stylesheet, reload script and error panel."""
    head = f'<link rel="stylesheet" href="{PREFIX}panel.css">\n'
    script = f'<script src="{PREFIX}reload.js" data-version="{int(version)}" defer></script>\n'
    lower = page.lower()
    at = lower.find("</head>")
    if at >= 0:
        page = page[:at] + head + script + page[at:]
    else:
        page = head + script + page
    if problems:
        lower = page.lower()
        body = lower.find("<body")
        end = lower.find(">", body) + 1 if body >= 0 else 0
        page = page[:end] + "\n" + panel_html(problems) + page[end:]
    return page


def url_paths(rel_files):
    """Output files (relative paths) → the URL paths that show them."""
    paths = set()
    for rel in rel_files:
        rel = str(rel).replace("\\", "/")
        paths.add("/" + rel)
        if rel == "index.html" or rel.endswith("/index.html"):
            paths.add("/" + rel[: -len("index.html")])
    return paths


class HandlerMixin:
    """Mixed into the preview server's request handler (``self.preview`` is a PreviewState)."""

    preview = None

    def _preview_get(self):
        """Serve /__cchc/… or an HTML page with the additions; → True when handled."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(PREFIX):
            name = path[len(PREFIX):]
            if name == "events":
                self._events()
                return True
            if name in ASSETS:
                ctype, file = ASSETS[name]
                self._send(200, ctype, file.read_bytes())
                return True
            if name == "state.json":
                state = {"version": self.preview.version, "problems": self.preview.problems,
                         "building": self.preview.building, "warm": self.preview.warm}
                self._send(200, "application/json; charset=utf-8",
                           json.dumps(state, ensure_ascii=False).encode("utf-8"))
                return True
            return False
        if path.startswith(EDITOR_PREFIX):
            return False  # the web editor: a reload would throw away what is being typed
        target = self.preview.moved_to(path)
        if target:  # a post moved away during this session: say where (404, as a host would)
            page = inject(moved_html(unquote(path), target), self.preview.problems, self.preview.version)
            self._send(404, "text/html; charset=utf-8", page.encode("utf-8"))
            return True
        file = Path(self.translate_path(path))
        if file.is_dir():
            if not path.endswith("/"):
                return False  # SimpleHTTPRequestHandler redirects to the slash form
            file = file / "index.html"
        if file.suffix != ".html" or not file.is_file():
            return False
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        page = inject(text, self.preview.problems, self.preview.version)
        self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))
        return True

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the tab reloaded or closed meanwhile

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.preview.version
        try:
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not self.preview.closed:
                event = self.preview.wait(seen, HEARTBEAT_S)
                if event is None:
                    self.wfile.write(b": ping\n\n")
                else:
                    seen = event["version"]
                    data = json.dumps(event, ensure_ascii=False)
                    self.wfile.write(f"event: reload\ndata: {data}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        self.close_connection = True
