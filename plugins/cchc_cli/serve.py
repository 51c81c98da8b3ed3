"""Preview server on 127.0.0.1; the dev server rebuilds when content, theme, plugins or settings change.

Pelican's own ``--autoreload`` watches content, theme and the settings file but not
plugins, and cannot re-import a changed plugin in the same process; so each rebuild
here runs Pelican in a fresh child process (the same atomic build as `make html`).
"""

import functools
import http.server
import threading
from pathlib import Path

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


class _Handler(http.server.SimpleHTTPRequestHandler):
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


def make_server(output, port):
    """A threaded HTTP server for *output* bound to 127.0.0.1."""
    # The directory is looked up by name on every request, so it keeps serving the
    # new output/ after an atomic swap.
    handler = functools.partial(_Handler, directory=str(Path(output).resolve()))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(output, port, reload=False, content="content"):
    """Serve *output* on *port*; with *reload*, rebuild on changes too. port=None: rebuild only
    (`make regenerate`, as Pelican's: run `make serve` beside it)."""
    server = make_server(output, port) if port is not None else None
    if server:
        print(f"Xem trước tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)")
    if not reload:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        return 0
    import queue

    import watchfiles

    from .build import BuildFailed, build

    # Watch before the first build, so an edit saved while it runs (or just after, before a
    # watcher would have started) is not missed: the watcher thread hands batches of changes
    # over a queue, and it yields an empty batch once it is running (yield_on_timeout).
    paths = [p for p in WATCHED if Path(p).exists()]
    changes_q = queue.Queue()
    watching = threading.Event()

    def watch():
        for changes in watchfiles.watch(*paths, yield_on_timeout=True, rust_timeout=500):
            watching.set()
            if changes:
                changes_q.put(changes)

    threading.Thread(target=watch, daemon=True).start()
    watching.wait(timeout=10)

    def rebuild():
        try:
            build(content, "pelicanconf.py", output)
            print("Xong.")
        except BuildFailed as exc:
            print(f"LỖI {exc}")

    rebuild()
    if server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    else:
        print("Đang theo dõi thay đổi, tự xây dựng lại (Ctrl+C để dừng); xem trang: make serve", flush=True)
    try:
        while True:
            changes = set(changes_q.get())
            while not changes_q.empty():  # edits saved during the last build: one rebuild for all
                changes |= changes_q.get_nowait()
            names = ", ".join(sorted({c[1] for c in changes}))
            print(f"Thay đổi: {names}. Đang xây dựng lại…", flush=True)
            rebuild()
    except KeyboardInterrupt:
        pass
    return 0
