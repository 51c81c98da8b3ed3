"""The editor's own web server (`make studio`): /admin/ and the API that writes posts, and nothing else.

decap-server listens on a Unix socket in a folder only this user can open (backend.js), so no
web page can reach it. This server, on its own origin ``http://127.0.0.1:<BACKEND_PORT>``,
serves the editor (/admin/ of the studio build, plus the theme's CSS for its preview pane)
and passes on to decap-server ``POST /api/v1`` requests that:

- name this server in the Host header, exactly (a DNS-rebinding page names its own host);
- come from this origin (Origin header exactly ``http://127.0.0.1:<port>``; Sec-Fetch-Site
  same-origin when the browser sends it) as ``application/json``, which another origin can
  only send after a CORS preflight this server never answers;
- carry this run's secret token (X-CCHC-Token, compared in constant time). The token is put
  into the /admin/ page as it is served (never into a file): only a page of this origin can
  read it, and this origin serves no file a post or an upload can put there;
- ask only what gate.Rules allows (content folders of the editor, the configured branch).

The site's preview stays on its own origin (``make studio`` PORT, serve.py), because it serves
what staff write and upload (pictures, SVG, attachments, pages built from posts): a script
getting past the sanitiser there runs on another origin than the token, and cannot read it.
Any other path here redirects to the preview. Every answer forbids framing and embedding.
"""

import hmac
import http.client
import http.server
import json
import secrets
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

API_PATH = "/api/v1"
TOKEN_HEADER = "X-CCHC-Token"
TOKEN_META = "cchc-api-token"
EDITOR_PREFIX = "/admin/"
# Served here too: the preview pane's stylesheet (and its fonts), the theme's own files.
SHARED_PREFIXES = ("/theme/",)
MAX_BODY = 60 * 1024 * 1024  # decap-server takes up to 50 MB of JSON (a base64 upload)
BACKEND_TIMEOUT_S = 300  # a git-mode save (checkout, rebase, commit) of a large upload


def new_token():
    return secrets.token_urlsafe(32)


def editor_csp(preview_origin):
    """The editor page's policy: Decap's scripts from this origin only (it needs eval), styles,
    pictures and fonts also from the preview (the preview pane shows the site's), fetch only here."""
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; "
            f"style-src 'self' 'unsafe-inline' {preview_origin}; img-src 'self' data: blob: {preview_origin}; "
            f"font-src 'self' data: {preview_origin}; media-src 'self' data: blob: {preview_origin}; "
            "connect-src 'self' blob: data:; frame-src 'self' blob:; worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over a Unix domain socket. (The standard library has no such class and the
    packages that add one wrap `requests`; these few lines are the whole difference.)"""

    def __init__(self, path, timeout=BACKEND_TIMEOUT_S):
        super().__init__("localhost", timeout=timeout)
        self._socket_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class EditorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port, output, rules, socket_path, preview_origin, token=None, backend=None,
                 say=print):
        self.output = Path(output).resolve()
        self.rules = rules
        self.socket_path = str(socket_path)
        self.preview_origin = preview_origin
        self.token = token or new_token()
        self.backend = backend  # decap-server's Popen, to say so when it has stopped
        self._say = say
        self._said = set()
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", port), EditorHandler)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self.host = f"127.0.0.1:{self.server_address[1]}"

    def notice(self, line):
        """One terminal line per distinct refusal (a hostile page retrying does not flood it)."""
        with self._lock:
            if line in self._said:
                return
            self._said.add(line)
        self._say(line)

    def handle_error(self, request, client_address):
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            print(f"LỖI máy chủ trình soạn bài: {exc!r} (chạy lại với --debug nếu lỗi lặp lại)", flush=True)


class EditorHandler(http.server.SimpleHTTPRequestHandler):
    server: EditorServer
    server_version = "cchc-studio"
    sys_version = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(args[2].output), **kwargs)

    def log_message(self, format, *args):
        pass  # the terminal shows the studio's Vietnamese lines only

    def end_headers(self):
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", editor_csp(self.server.preview_origin))
        super().end_headers()

    # -- answers -----------------------------------------------------------------------------

    def _plain(self, code, text, extra=()):
        body = (text + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, code, payload):
        body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location, code=302):
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _host_ok(self):
        """Only requests naming this server: 127.0.0.1:<port> (localhost:<port> is sent there)."""
        host = self.headers.get("Host", "")
        if host == self.server.host:
            return True
        port = self.server.server_address[1]
        if host == f"localhost:{port}" and self.command in ("GET", "HEAD"):
            self._redirect(f"{self.server.origin}{self.path}", 307)
            return False
        self.server.notice(f"CẢNH BÁO trình soạn bài đã từ chối một yêu cầu gửi tới tên máy “{host}” "
                           f"(có thể là một trang web giả tên miền, DNS rebinding); chỉ mở "
                           f"{self.server.origin}{EDITOR_PREFIX}.")
        self._plain(403, f"Trình soạn bài chỉ trả lời tại {self.server.origin}{EDITOR_PREFIX} "
                         f"(tên máy “{host}” bị từ chối).")
        return False

    # -- GET: the editor page (with the token), its files, the theme; the rest is the preview's --

    def do_GET(self):
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        if path == EDITOR_PREFIX.rstrip("/"):
            self._redirect(EDITOR_PREFIX, 301)
            return
        if path == API_PATH:
            self._plain(405, "Bộ ghi bài chỉ nhận yêu cầu POST từ trình soạn bài.", [("Allow", "POST")])
            return
        if path in (EDITOR_PREFIX, EDITOR_PREFIX + "index.html"):
            self._editor_page()
            return
        if path.startswith(EDITOR_PREFIX) or path.startswith(SHARED_PREFIXES):
            super().do_GET()
            return
        self._redirect(self.server.preview_origin + self.path)

    def do_HEAD(self):
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        if path.startswith(EDITOR_PREFIX) or path.startswith(SHARED_PREFIXES):
            super().do_HEAD()
            return
        self._redirect(self.server.preview_origin + self.path)

    def _editor_page(self):
        page = self.server.output / EDITOR_PREFIX.strip("/") / "index.html"
        try:
            text = page.read_text(encoding="utf-8")
        except OSError:
            self._plain(503, "Trình soạn bài chưa được xây dựng xong; đợi vài giây rồi tải lại trang.")
            return
        meta = f'<meta name="{TOKEN_META}" content="{self.server.token}">\n'
        at = text.lower().find("</head>")
        text = text[:at] + meta + text[at:] if at >= 0 else meta + text
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    # -- POST /api/v1: vetted, then passed on to decap-server --------------------------------

    def _refuse(self, code, reason, notice=None):
        if notice:
            self.server.notice(notice)
        self.close_connection = True
        self._json(code, {"error": reason})

    def do_POST(self):
        if not self._host_ok():
            return
        if urlsplit(self.path).path != API_PATH:
            self._plain(404, "Không có gì ở đây.")
            return
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site")
        if origin != self.server.origin or site not in (None, "same-origin"):
            self._refuse(403, f"Chỉ trình soạn bài tại {self.server.origin}{EDITOR_PREFIX} được ghi bài; "
                              f"yêu cầu từ “{origin or 'không rõ nguồn'}” bị từ chối.",
                         f"CẢNH BÁO một trang web khác ({origin or 'không rõ nguồn'}) vừa thử dùng bộ ghi bài "
                         "của trình soạn bài; đã từ chối, không tệp nào bị đọc hay ghi.")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if ctype != "application/json":
            self._refuse(415, "Bộ ghi bài chỉ nhận JSON (Content-Type: application/json).")
            return
        sent = self.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(sent.encode("utf-8", "replace"), self.server.token.encode("ascii")):
            self._refuse(403, "Trang trình soạn bài đang mở đã cũ (make studio đã được chạy lại) hoặc yêu cầu "
                              f"không có mã phiên: tải lại trang {self.server.origin}{EDITOR_PREFIX} rồi thử lại.")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._refuse(411, "Yêu cầu thiếu độ dài (Content-Length).")
            return
        if not 0 < length <= MAX_BODY:
            self._refuse(413, f"Yêu cầu quá lớn (tối đa {MAX_BODY // (1024 * 1024)} MB): tải tệp nhỏ hơn.")
            return
        raw = self.rfile.read(length)

        def no_constant(name):
            raise ValueError(name)

        try:
            body = json.loads(raw, parse_constant=no_constant)
        except (ValueError, UnicodeDecodeError):
            self._refuse(400, "Yêu cầu không phải JSON hợp lệ.")
            return
        reason = self.server.rules.refusal(body)
        if reason:
            self._refuse(403, f"Bộ ghi bài từ chối: {reason}",
                         f"CẢNH BÁO trình soạn bài đã từ chối một yêu cầu: {reason}")
            return
        # decap-server gets what was vetted, serialised again (no parser differences).
        self._forward(body, json.dumps(body).encode("utf-8"))

    def _forward(self, body, data):
        conn = UnixHTTPConnection(self.server.socket_path)
        try:
            conn.request("POST", API_PATH, body=data,
                         headers={"Content-Type": "application/json", "Content-Length": str(len(data))})
            resp = conn.getresponse()
            status, reply = resp.status, resp.read()
        except OSError:
            stopped = self.server.backend is not None and self.server.backend.poll() is not None
            self._refuse(503, "Bộ ghi bài (decap-server) đã dừng: dừng make studio bằng Ctrl+C rồi chạy lại "
                              "(thêm --debug để xem lý do)." if stopped else
                              "Bộ ghi bài (decap-server) chưa sẵn sàng: đợi vài giây rồi thử lại.")
            return
        finally:
            conn.close()
        if status == 200 and body.get("action") in ("entriesByFolder", "getMedia"):
            try:
                listing = self.server.rules.allowed_listing(body["action"], json.loads(reply))
                reply = json.dumps(listing).encode("utf-8")
            except ValueError:
                pass
        self._json(status, reply)

    def _no_method(self):
        if self._host_ok():
            self._plain(405, "Phương thức không được hỗ trợ.", [("Allow", "GET, HEAD, POST")])

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _no_method
