"""Preview server on 127.0.0.1; the dev server rebuilds when content, theme, plugins or settings change.

Pelican's own ``--autoreload`` watches content, theme and the settings file but not
plugins, and cannot re-import a changed plugin in the same process; so each rebuild
here runs Pelican in a fresh child process (the same atomic build as `make html`).
"""

import functools
import http.server
import socket
import threading
from pathlib import Path

from cchc.core import svg

from .livereload import HandlerMixin, PreviewState


def port_free(port):
    """Whether a server can listen on 127.0.0.1:*port* (SO_REUSEADDR, as http.server and
    Node do: connections in TIME_WAIT from a server just stopped do not make a port busy)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_after(port, avoid=()):
    """The first free port after *port* (not one of *avoid*): the PORT=… a busy-port message offers."""
    for candidate in range(port + 1, port + 100):
        if candidate not in avoid and port_free(candidate):
            return candidate
    return port + 1


class _Handler(HandlerMixin, http.server.SimpleHTTPRequestHandler):
    hosts = None  # `make studio`: the Host headers answered (DNS rebinding pages are refused)
    editor = None  # `make studio`: the editor's origin, where /admin/ is

    def _refused_host(self):
        host = self.headers.get("Host", "")
        if self.hosts is None or host in self.hosts:
            return False
        body = (f"Bản xem trước chỉ trả lời tại http://{self.hosts[0]}/ (tên máy “{host}” bị từ chối).\n"
                ).encode()
        self.send_response(403)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return True

    def _to_editor(self):
        """/admin/ on the preview (the address staff knew): the editor is on its own origin."""
        if self.editor is None or not self.path.split("?", 1)[0].startswith("/admin"):
            return False
        self.send_response(302)
        self.send_header("Location", self.editor + "/admin/")
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def send_header(self, keyword, value):
        super().send_header(keyword, value)
        # Whatever its URL, a file served as SVG runs nothing (as deploy/ samples send it).
        if keyword.lower() == "content-type" and value.split(";")[0].strip().lower() == "image/svg+xml":
            super().send_header("Content-Security-Policy", svg.POLICY)
            super().send_header("X-Content-Type-Options", "nosniff")

    def do_GET(self):
        if self._refused_host() or self._to_editor():
            return
        # The dev server (preview set) adds live reload and the error panel to what it serves.
        if self.preview is not None and self._preview_get():
            return
        super().do_GET()

    def do_HEAD(self):
        if self._refused_host() or self._to_editor():
            return
        super().do_HEAD()

    def log_message(self, format, *args):
        # The dev server's terminal shows only its own Vietnamese lines, not a line per request.
        if self.preview is None:
            super().log_message(format, *args)

    def send_error(self, code, message=None, explain=None):
        # Serve the site's own 404 page, as a real host would.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class _PreviewServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # No traceback in the dev server's terminal: a tab that went away mid-answer is normal.
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            print(f"LỖI máy chủ xem trước: {exc!r} (chạy lại với --debug nếu lỗi lặp lại)", flush=True)


def make_server(output, port, preview=None, editor=None):
    """A threaded HTTP server for *output* bound to 127.0.0.1 (*preview*: a PreviewState).

    *editor* (`make studio`): the editor's origin; /admin/ redirects there, and only requests
    naming this server (127.0.0.1:<port> or localhost:<port>) are answered."""
    # The directory is looked up by name on every request, so it keeps serving the
    # new output/ after an atomic swap.
    hosts = (f"127.0.0.1:{port}", f"localhost:{port}") if editor else None
    handler = type("Handler", (_Handler,), {"preview": preview, "hosts": hosts, "editor": editor})
    handler = functools.partial(handler, directory=str(Path(output).resolve()))
    server_class = _PreviewServer if preview is not None else http.server.ThreadingHTTPServer
    return server_class(("127.0.0.1", port), handler)


def serve(output, port, reload=False, content="content", debug=False, settings="pelicanconf.py",
          watched=None, banner=None, editor=None):
    """Serve *output* on *port*; with *reload*, rebuild on changes too (live reload and the
    error panel in what is served). port=None: rebuild only (`make regenerate`, as Pelican's:
    run `make serve` beside it). *editor*: see make_server."""
    if not reload:
        server = make_server(output, port, editor=editor)
        print(f"Xem trước tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        return 0
    from . import preview

    state = PreviewState()
    server = make_server(output, port, preview=state, editor=editor) if port is not None else None
    ready = threading.Event()

    def start_serving():
        ready.wait()
        if server:
            for line in banner or [f"Xem trước tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)"]:
                print(line, flush=True)
            server.serve_forever()
        else:
            print("Đang theo dõi thay đổi, tự xây dựng lại (Ctrl+C để dừng); xem trang: make serve", flush=True)

    threading.Thread(target=start_serving, daemon=True).start()
    import signal

    def stop_on_term(signum, frame):
        raise KeyboardInterrupt  # `kill`: stop the rebuild and its children as Ctrl-C does

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop_on_term)
        # Ctrl-C must stop it even when started from a shell that ignores SIGINT (a `&` job).
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        preview.run(state, content, settings, output, debug=debug, ready=ready,
                    watched=watched or preview.WATCHED)
    except KeyboardInterrupt:
        pass
    return 0
