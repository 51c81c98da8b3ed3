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
    server = make_server(output, port)
    print(f"Xem trước tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)")
    if not reload:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        return 0
    import watchfiles

    from .build import BuildFailed, build

    try:
        build(content, "pelicanconf.py", output)
    except BuildFailed as exc:
        print(f"LỖI {exc}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = [p for p in WATCHED if Path(p).exists()]
    try:
        for changes in watchfiles.watch(*paths):
            names = ", ".join(sorted({c[1] for c in changes}))
            print(f"Thay đổi: {names}. Đang xây dựng lại…")
            try:
                build(content, "pelicanconf.py", output)
                print("Xong.")
            except BuildFailed as exc:
                print(f"LỖI {exc}")
    except KeyboardInterrupt:
        pass
    return 0
