"""The redirect maps in real nginx and Apache (issue 12): real 301s, and no path can add a directive.

Each server runs on loopback, on a free port, from its own temporary configuration (no system
service, nothing installed); `.ci/run` installs Debian's nginx and apache2 when missing.
"""

import http.client
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

import servers
from bench.localhost import free_port
from cchc_redirects.cchc_redirects import DEFAULTS, Redirect, htaccess, nginx_map
from conftest import build, make_project, run_cchc

POST = """---
type: tin-tuc
title: "{title}"
slug: {slug}
date: 01/02/2023
locality: "Huyện Lộc Bình"
summary: "Tóm tắt."
areas: [the-che]
old_paths: {paths}
---

Nội dung.
"""
OLD_PATHS = ["/bar/an-old-item", "/Lists/TinTuc/View_Detail.aspx?ItemID=70", "/tin/c%E1%BA%A3i-c%C3%A1ch",
             "/cu/bai.html"]
# One-line attempts on the writers' quoting: a quote, then a directive of the server's own syntax.
QUOTED_HOSTILE = ['/q1" ; return 302 http://evil.example/; #', '/q2%22%20%5BR=302%5D',
                  '/q3" "http://evil.example/" [R=302,L]', "/q4?x=1%22%20http://evil.example/"]
# An old path trying to add a directive in each server's syntax, percent-encoded as an importer
# would find it in a canonical URL: a line break, then a redirect of every URL to another host.
HOSTILE = [
    "/a%0ARedirect%20302%20/%20http://evil.example/",
    "/a%0D%0ARewriteRule%20.*%20http://evil.example/%20[R=302]",
    '/a%22%3B%20return%20302%20http://evil.example/%3B%20%23',
    "/a%20b", "/a\tb", "/a%00b",
]


def _get(port, path):
    """(status, Location) of GET *path* (raw, as a client sends it)."""
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            conn.close()
            return resp.status, resp.getheader("Location")
        except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
            time.sleep(0.1)
    raise AssertionError(f"no answer on port {port}")


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    """A real build's nginx.conf and .htaccess, in a world-readable folder (for the servers' users)."""
    proj = make_project(tmp_path_factory.mktemp("servers"))
    news = proj / "content" / "tin-tuc"
    news.mkdir(parents=True)
    paths = ", ".join(f'"{p}"' for p in OLD_PATHS)
    (news / "a.md").write_text(POST.format(title="Bài A", slug="bai-a", paths=f"[{paths}]"), encoding="utf-8")
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The build's maps are the writers' output for its posts; the servers get those rules plus
    # hostile one-line paths that only the writers' quoting stands between (the schema refuses them).
    legit = [Redirect(old, "/tin-tuc/bai-a/", "Bài A", "a.md") for old in OLD_PATHS]
    writers = {"nginx.conf": nginx_map, ".htaccess": htaccess}
    site = Path(tempfile.mkdtemp(prefix="cchc-redirects-"))
    os.chmod(site, 0o755)
    for name, writer in writers.items():
        assert (proj / "output" / "redirects" / name).read_text(encoding="utf-8") == writer(legit, [], DEFAULTS)
        hostile = [Redirect(old, "/tin-tuc/bai-a/", "X", "x.md") for old in QUOTED_HOSTILE]
        (site / name).write_text(writer(legit + hostile, [], DEFAULTS), encoding="utf-8")
        os.chmod(site / name, 0o644)
    yield site
    shutil.rmtree(site, ignore_errors=True)


EXPECTED = [
    ("/bar/an-old-item", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/view", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/@@images/anh.jpg", "/tin-tuc/bai-a/"),
    ("/Lists/TinTuc/View_Detail.aspx?ItemID=70", "/tin-tuc/bai-a/"),
    ("/tin/c%E1%BA%A3i-c%C3%A1ch", "/tin-tuc/bai-a/"),
    ("/cu/bai.html", "/tin-tuc/bai-a/"),
]


def _check_server(port):
    for path, target in EXPECTED:
        status, location = _get(port, path)
        assert status == 301 and location.endswith(target), (path, status, location)
    # Everything else is not redirected: no rule sends / or any other URL elsewhere.
    for path in ("/", "/khac", "/a", "/Lists/TinTuc/View_Detail.aspx?ItemID=71"):
        status, location = _get(port, path)
        assert status != 301 and status != 302 and not location, (path, status, location)
    # The hostile paths themselves lead nowhere but the page they were given (if anywhere).
    for path in ("/q1%22", "/q2%22", "/q3", "/q4?x=1"):
        status, location = _get(port, path)
        assert "evil" not in (location or ""), (path, status, location)


def test_hostile_old_paths_are_refused_at_check(tmp_path):
    proj = make_project(tmp_path)
    news = proj / "content" / "tin-tuc"
    news.mkdir()
    for i, path in enumerate(HOSTILE):
        quoted = path.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
        (news / f"h{i}.md").write_text(POST.format(title=f"Bài {i}", slug=f"bai-{i}", paths=f'["{quoted}"]'),
                                       encoding="utf-8")
    proc = run_cchc("check", "content", cwd=proj)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    for i in range(len(HOSTILE)):
        assert f"LỖI content/tin-tuc/h{i}.md:9: trường “old_paths” (Đường dẫn cũ)" in proc.stderr, proc.stderr


def test_writers_never_write_a_line_break():
    """Past the schema (a plugin or a hand-made list), the map writers refuse a path that would
    break a line, and quote every other one: no line but the rules they write."""
    import re

    rules = {
        nginx_map: re.compile(r'(#.*|map \$request_uri \$cchc_redirect \{|    default "";|'
                              r'    "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*";|\})'),
        # mod_rewrite splits its own arguments: a quote always ends one, white space ends an
        # unquoted one. So each argument is "…" with neither inside.
        htaccess: re.compile(r'(#.*|RewriteEngine On|RewriteCond %\{QUERY_STRING\} "[^"\s]*"|'
                             r'RewriteRule "[^"\s]*" "[^"\s]*" \[R=301,L(,QSD)?\])'),
    }
    for old in ("/a%0ARedirect 302 / http://evil.example/", "/a\nRedirect 302 / http://evil.example/",
                "/a%0D%0Ax", '/a" ; return 302 http://evil.example/; #', '/a"\\', "/a?x=%0Ay"):
        red = Redirect(old, "/tin-tuc/bai-a/", "A", "a.md")
        for writer, rule in rules.items():
            try:
                text = writer([red], [], DEFAULTS)
            except ValueError:
                continue
            for line in text.splitlines():
                assert rule.fullmatch(line), (writer.__name__, old, line)


def test_nginx_serves_the_map(maps, tmp_path):
    port = free_port()
    with servers.nginx(tmp_path, f"""    include {maps}/nginx.conf;
    server {{
        listen 127.0.0.1:{port};
        root {maps};
        if ($cchc_redirect) {{ return 301 $cchc_redirect; }}
    }}"""):
        _check_server(port)


def test_apache_serves_the_htaccess(maps):
    port = free_port()
    with servers.apache(maps, port, ("mpm_event", "authz_core", "rewrite")):
        _check_server(port)
