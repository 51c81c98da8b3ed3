"""Every host sample sends SVG images with a policy that lets them run nothing (issue 33).

deploy/nginx.conf and deploy/apache.htaccess run as they are written (only the address, the root
and the TLS/HTTP2/Brotli lines a loopback test cannot have are changed) in real nginx and Apache
on loopback, as in test_redirect_servers.py; the preview server (`make serve`) runs in-process.
An SVG named after its content (so-do.0123456789.svg, the long-cache location) used to get no
policy at all from nginx.
"""

import gzip
import http.client
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

import servers
from bench.localhost import free_port
from cchc.core import svg
from conftest import ROOT

PAGE_POLICY_START = "default-src 'self'; script-src 'self';"
DRAWING = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>\n'
SVGS = ["/images/so-do.0123456789.svg", "/images/so-do.svg", "/theme/images/logo.0123456789.svg",
        "/images/so-do%2E0123456789.svg"]


@pytest.fixture(scope="module")
def site():
    """A published site in miniature, world-readable for the servers' users."""
    root = Path(tempfile.mkdtemp(prefix="cchc-headers-"))
    files = {
        "index.html": b"<!doctype html><title>Trang chu</title>\n",
        "404.html": b"<!doctype html><title>Khong thay</title>\n",
        "images/so-do.svg": DRAWING,
        "images/so-do.0123456789.svg": DRAWING,
        "theme/images/logo.0123456789.svg": DRAWING,
        "theme/css/main.0123456789.css": b"body{margin:0}\n",
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / "images/so-do.0123456789.svg.gz").write_bytes(gzip.compress(DRAWING, mtime=0))
    for path in [root, *root.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _get(port, path, headers=None):
    """(status, headers as a list of (name, value)) of GET *path*."""
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers=headers or {})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            return resp.status, resp.getheaders()
        except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
            time.sleep(0.1)
    raise AssertionError(f"no answer on port {port}")


def _policies(headers):
    return [v for k, v in headers if k.lower() == "content-security-policy"]


def _header(headers, name):
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def _check_svg_policy(port):
    for path in SVGS:
        status, headers = _get(port, path)
        assert status == 200, (path, status)
        assert _policies(headers) == [svg.POLICY], (path, headers)
        assert _header(headers, "X-Content-Type-Options") == "nosniff", path
        if "0123456789" in path:
            assert "immutable" in _header(headers, "Cache-Control"), (path, headers)
    status, headers = _get(port, SVGS[0], {"Accept-Encoding": "gzip"})  # the .gz twin
    assert status == 200 and _header(headers, "Content-Encoding") == "gzip", headers
    assert _policies(headers) == [svg.POLICY], headers
    # Pages keep the site's own policy.
    status, headers = _get(port, "/")
    assert status == 200 and len(_policies(headers)) == 1, headers
    assert _policies(headers)[0].startswith(PAGE_POLICY_START), headers


def _sample(name, replacements):
    """deploy/*name* with each (old, new) replaced, each old found exactly once."""
    text = (ROOT / "deploy" / name).read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, (name, old)
        text = text.replace(old, new)
    return text


def test_nginx_sample_sends_the_svg_policy(site, tmp_path):
    port = free_port()
    server = _sample("nginx.conf", [("listen 443 ssl;", f"listen 127.0.0.1:{port};"), ("http2 on;", ""),
                                    ("gzip_static on;\n    brotli_static on;", "gzip_static on;"),
                                    ("root /var/www/cchc;", f"root {site};")])
    (tmp_path / "cchc.conf").write_text(server, encoding="utf-8")
    with servers.nginx(tmp_path, f"    include /etc/nginx/mime.types;\n    include {tmp_path}/cchc.conf;"):
        _check_svg_policy(port)
        status, headers = _get(port, "/theme/css/main.0123456789.css")
        assert status == 200 and "immutable" in _header(headers, "Cache-Control")


def test_apache_sample_sends_the_svg_policy(site):
    shutil.copy(ROOT / "deploy" / "apache.htaccess", site / ".htaccess")
    os.chmod(site / ".htaccess", 0o644)
    port = free_port()
    try:
        with servers.apache(site, port, ("mpm_event", "authz_core", "rewrite", "headers", "mime", "dir")):
            _check_svg_policy(port)
    finally:
        (site / ".htaccess").unlink()


def test_preview_server_sends_the_svg_policy(site):
    from cchc.cli.serve import make_server

    httpd = make_server(site, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        port = httpd.server_address[1]
        for path in SVGS:
            status, headers = _get(port, path)
            assert status == 200 and _policies(headers) == [svg.POLICY], (path, headers)
        status, headers = _get(port, "/")
        assert status == 200 and not _policies(headers)  # pages carry their own <meta> policy
    finally:
        httpd.shutdown()
