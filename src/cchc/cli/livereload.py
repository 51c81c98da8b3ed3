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

    def publish(self, paths, problems=None):
        """A build ended: *paths* are the URL paths it changed ("*" = every page)."""
        with self._cond:
            if problems is not None:
                if problems != self.problems:
                    paths = ["*"]
                self.problems = list(problems)
            self.version += 1
            self.last_event = {"version": self.version, "paths": sorted(paths),
                               "errors": len(self.problems), "sent": time.time()}
            self._cond.notify_all()
            return self.last_event

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
