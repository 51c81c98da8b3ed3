"""Hostile posts cannot put script in a page or a feed (issue 12).

tests/fixtures/hostile/ puts script payloads in every front-matter field and in the body;
it is added to the real content/ and built with the development and the publish settings
by Pelican itself (``cchc build`` would stop at the check, see test_check_reports_bodies:
the pages must be safe even if a hostile body gets past the check). Pages are parsed for
active markup, feeds for the payload's markup, and every page type is loaded in Chromium with
``alert``/``confirm``/``prompt`` overridden before any script of the page runs, served without
any CSP (the page's own CSP meta removed too, so escaping and sanitising are what is tested).
"""

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, make_project, run_cchc

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
URL_ATTRS = ("href", "src", "action", "data", "formaction", "poster", "srcset", "content")
_CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>')


def _pelican(proj, settings, out, env=None):
    cmd = [sys.executable, "-m", "pelican", "content", "-s", settings, "-o", str(out),
           "--fatal", "errors", "--ignore-cache"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), **(env or {}))
    proc = subprocess.run(cmd, cwd=proj, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


class _NoCspHandler(http.server.SimpleHTTPRequestHandler):
    """Plain static files, no headers beyond the basics, CSP meta removed from every page."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = _CSP_META.sub(b"", path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()

    def log_message(self, *_args):
        pass


def _serve(directory):
    handler = functools.partial(_NoCspHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """(project, development output, publish output, {output: server URL}) of content/ + the fixture.

    The publish build's SITEURL is its own loopback server, so the browser never leaves it."""
    proj = make_project(tmp_path_factory.mktemp("hostile"), ROOT / "content")
    for sub in ("tin-tuc", "ke-hoach", "pages", "files"):
        shutil.copytree(HOSTILE / sub, proj / "content" / sub, dirs_exist_ok=True)
    dev, pub = proj / "out-dev", proj / "out-pub"
    dev.mkdir()
    pub.mkdir()
    servers = {dev: _serve(dev), pub: _serve(pub)}
    _pelican(proj, "pelicanconf.py", dev)
    _pelican(proj, "publishconf.py", pub, {"SITEURL": servers[pub][1]})
    yield proj, dev, pub, {out: url for out, (_httpd, url) in servers.items()}
    for httpd, _url in servers.values():
        httpd.shutdown()


def _active_markup(soup):
    """Every element or attribute in *soup* that could run script (theme scripts excepted)."""
    found = []
    for el in soup.find_all(True):
        if el.name in ("iframe", "object", "embed", "base", "frame", "applet", "svg", "math"):
            if not (el.name == "svg" and "c-chart__svg" in el.get("class", [])):
                found.append(f"<{el.name}>")
        if el.name == "script" and el.get("type") != "application/ld+json" \
                and not (el.get("src") and "/theme/js/" in el["src"]):
            found.append(str(el)[:80])
        if el.name == "meta" and el.get("http-equiv", "").lower() == "refresh" \
                and "javascript" in el.get("content", "").lower():
            found.append(str(el)[:80])
        if el.name == "meta" and el.find_parent("head") is None:  # only content puts one in a body or feed
            found.append(str(el)[:80])
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"<{el.name} {name}>")
            if name in URL_ATTRS and re.match(r"\s*(javascript|vbscript|data):", re.sub(r"[\x00-\x20]", "", value), re.I):
                found.append(f"<{el.name} {name}={value[:40]}>")
    return found


@pytest.mark.parametrize("which", ["dev", "pub"])
def test_no_active_markup_in_any_page(hostile, which):
    out = hostile[1] if which == "dev" else hostile[2]
    bad = {}
    for page in sorted(out.rglob("*.html")):
        found = _active_markup(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        if found:
            bad[str(page.relative_to(out))] = found
    assert not bad
    # The payload did reach the pages (as text), so the test tested something.
    article = (out / "tin-tuc" / "tin-doc-hai" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article


LINK_POST = HOSTILE / "tin-tuc" / "lien-ket-doc-hai.md"


@pytest.mark.parametrize("which", ["dev", "pub"])
def test_links_pelican_expands_stay_plain_links(hostile, which):
    """{filename}/{static}/{attach} targets with &, %20 and quotes: Pelican expands them after the
    reader cleaned the body; what is published is still only links (href, nothing else)."""
    out = hostile[1] if which == "dev" else hostile[2]
    page = BeautifulSoup((out / "tin-tuc" / "lien-ket-doc-hai" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    body = page.find("div", class_="c-prose")
    assert body is not None
    texts = ("bài có dấu &", "tệp có dấu cách", "bài ngoặc", "chuyển trang", "tệp &", "tệp cách", "đính kèm")
    # (The meta probe's "> is left as text before its link's text.)
    links = {t: a for a in body.find_all("a") for t in texts if a.get_text().endswith(t)}
    assert sorted(links) == sorted(texts)
    for text, a in links.items():
        assert list(a.attrs) == ["href"], (text, a.attrs)
    base = hostile[3][out] if which == "pub" else ""
    assert links["bài có dấu &"]["href"] == f"{base}/tin-tuc/dich-lien-ket/"
    assert links["tệp có dấu cách"]["href"] == f"{base}/files/a b.pdf"
    assert links["bài ngoặc"]["href"].startswith(f"{base}/tin-tuc/dich-lien-ket/#")
    assert not body.find(["meta", "script", "img"])
    assert "evil.example" not in str(page.find("head"))


def test_json_ld_cannot_be_closed_by_a_title(hostile):
    for out in hostile[1:3]:
        page = BeautifulSoup((out / "tin-tuc" / "tin-doc-hai" / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        blocks = page.find_all("script", type="application/ld+json")
        assert blocks
        for block in blocks:
            data = json.loads(block.string)  # one intact JSON text: "</script>" did not end it
            assert "</script>" in json.dumps(data, ensure_ascii=False)


def test_feeds_carry_no_payload_markup(hostile):
    import feedparser

    feeds = sorted(p for p in (hostile[2] / "feeds").rglob("*.xml"))
    assert feeds
    seen = links = 0
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
        for entry in parsed.entries:
            for content in entry.get("content", []) + [entry.get("summary_detail") or {}]:
                html = content.get("value", "")
                if content.get("type", "text/html") == "text/plain":
                    continue
                soup = BeautifulSoup(html, "html.parser")
                assert not _active_markup(soup), (feed.name, entry.title)
                assert not soup.find(["script", "style", "img"], attrs={"onerror": True})
                seen += "Đoạn có onclick" in html
                links += "bài ngoặc" in html and "chuyển trang" in html
    assert seen  # the hostile body is in the feeds, without its script
    assert links  # and the post whose links Pelican expands


def test_check_reports_bodies(hostile):
    """`cchc check` names each script, handler and javascript: URL at its file and line."""
    proc = run_cchc("check", "content", cwd=hostile[0])
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    err = proc.stderr
    path = "content/tin-tuc/tin-doc-hai.md"
    lines = (HOSTILE / "tin-tuc" / "tin-doc-hai.md").read_text(encoding="utf-8").splitlines()

    def line_of(text):
        return next(n for n, line in enumerate(lines, start=1) if text in line)

    assert f"LỖI {path}:{line_of('<script>alert(10)')}: thẻ <script>" in err
    assert f"LỖI {path}:{line_of('onclick')}: thuộc tính onclick" in err
    js_link = line_of('href="javascript:alert(15)')
    assert f"LỖI {path}:{js_link}: địa chỉ “javascript:”" in err
    assert f"LỖI {path}:{line_of('(javascript:alert(27))')}: địa chỉ “javascript:”" in err
    assert f"CẢNH BÁO {path}:{line_of('<style>')}: thẻ <style>" in proc.stdout
    # Link targets Pelican would write unescaped: each at its line.
    path = "content/tin-tuc/lien-ket-doc-hai.md"
    lines = LINK_POST.read_text(encoding="utf-8").splitlines()
    for probe, char in (("alert(30)", '"'), ("meta http-equiv", '"'), ("s.txt", '"'), ("alert(31)", '"'),
                        ("alert(32)", '"')):
        assert f"LỖI {path}:{line_of(probe)}: đích liên kết “{{" in err, probe
        assert f"” có ký tự “{char}”: Pelican chèn đích này vào trang mà không thoát (escape)" in err
    assert f"{path}:{line_of('bài có dấu &')}:" not in err  # & alone in a file name is fine
    assert "a&amp;b" not in err  # href="…a&amp;b.pdf" in HTML names the file a&b.pdf, which exists


def test_sanitised_body_keeps_ordinary_markup():
    """What articles need passes byte for byte; only what is not allowed goes."""
    from cchc.core import sanitize

    ordinary = ('<h2 id="a">Mục</h2><p>Chữ "ngoặc" &amp; &lt;b&gt; &nbsp;&copy;</p>'
                '<table><thead><tr><th scope="col" colspan="2" style="text-align: left;">h</th></tr></thead>'
                '<tbody><tr><td rowspan="2">d</td></tr></tbody></table>'
                '<figure><img src="../images/a.png" alt="Ảnh"><figcaption>Hình 1</figcaption></figure>'
                '<p><a href="https://example.org/?a=1&amp;b=2">x</a> <a href="mailto:a@example.org">m</a> '
                '<a href="tel:+84243">t</a> <a href="/van-ban/1-kh/" class="c-docnum">1/KH</a></p>'
                '<blockquote><p>q</p></blockquote><pre><code class="language-py">a &lt; b</code></pre>'
                '<ul><li>1</li></ul><ol start="3"><li>3</li></ol>')
    assert sanitize.clean(ordinary) == ordinary
    assert sanitize.clean('<p>a<script>alert(1)</script></p>') == "<p>a</p>"
    assert sanitize.clean('<a href="javascript:alert(1)" onclick="x()">a</a>') == "<a>a</a>"
    # An unclosed attribute would swallow the template that follows the body: rewritten.
    assert sanitize.clean('<p title="x') != '<p title="x'


def _page_types(out):
    """One or two pages of every kind the site writes (every page where the payload shows)."""
    pages = set()
    for page in out.rglob("index.html"):
        rel = page.relative_to(out).as_posix()
        if "alert(" in page.read_text(encoding="utf-8"):
            pages.add(rel)
    for rel in ("index.html", "404.html", "tim-kiem/index.html", "theo-doi/index.html",
                "du-lieu-mo/index.html", "chi-tieu/index.html", "van-ban/index.html",
                "tu-khoa/index.html", "luu-tru/index.html"):
        if (out / rel).is_file():
            pages.add(rel)
    return sorted(pages)


OVERRIDE = """
(function () {
  function record(name) {
    return function () {
      var n = Number(localStorage.getItem("cchc-calls") || 0) + 1;
      localStorage.setItem("cchc-calls", String(n));
      localStorage.setItem("cchc-last", name + " " + location.href);
      return name === "confirm" ? false : null;
    };
  }
  window.alert = record("alert"); window.confirm = record("confirm"); window.prompt = record("prompt");
})();
"""


@pytest.mark.browser
@pytest.mark.parametrize("which", ["dev", "pub"])
def test_no_script_runs_in_chromium(hostile, browser, which):
    out = hostile[1] if which == "dev" else hostile[2]
    base = hostile[3][out]
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OVERRIDE})
    try:
        browser.get(base + "/404.html")
        browser.execute_script("localStorage.clear()")
        pages = _page_types(out)
        assert len(pages) >= 20
        visited = []
        for rel in pages + ["tim-kiem/index.html?q=tin", "tim-kiem/index.html?q=script"]:
            path = rel[: -len("index.html")] if rel.endswith("/index.html") else rel
            browser.get(f"{base}/{quote(path, safe='/?=')}")
            browser.execute_script("return document.readyState")
            visited.append(rel)
        # Search results are drawn by script: give them time, then count.
        browser.execute_script("return new Promise(function (r) { setTimeout(r, 500); });")
        calls = browser.execute_script("return localStorage.getItem('cchc-calls')")
        last = browser.execute_script("return localStorage.getItem('cchc-last')")
        # The override works (the test can see a call) …
        browser.execute_script("alert('probe')")
        probe = browser.execute_script("return localStorage.getItem('cchc-calls')")
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    assert calls is None, f"{calls} calls, last: {last}"
    assert probe == "1"


BOMB = """---
type: tin-tuc
title: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
summary: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
author: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
source_unit: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
source_ref: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
locality: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
province: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
date: 01/01/2024
areas: [the-che]
---

Nội dung.
"""


def test_yaml_aliases_refused_before_expansion(tmp_path):
    """An alias bomb is one Vietnamese error at its line, from check and from the build."""
    proj = make_project(tmp_path)
    (proj / "content" / "tin-tuc").mkdir()
    (proj / "content" / "tin-tuc" / "bom.md").write_text(BOMB, encoding="utf-8")
    (proj / "content" / "tin-tuc" / "and.md").write_text(
        BOMB.split("title:")[0] + 'title: "VH-TT&TT * sao"\nsummary: a & b *c\nlocality: Quận Tây Hồ\n'
        "date: 01/01/2024\nareas: [the-che]\n---\n\nx\n", encoding="utf-8")
    for args in (("check", "content"), ("build", "--content", "content", "--output", "output")):
        proc = run_cchc(*args, cwd=proj)
        assert proc.returncode == 1
        assert "content/tin-tuc/bom.md:3: “&a” là neo/bí danh YAML" in proc.stderr
        assert "and.md" not in proc.stderr  # "&" and "*" inside text are fine
        assert "Traceback" not in proc.stderr + proc.stdout


def test_every_page_has_the_csp_meta(hostile):
    for out in hostile[1:3]:
        for page in sorted(out.rglob("*.html")):
            head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
            meta = BeautifulSoup(head, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
            assert meta is not None, page
            policy = dict(d.strip().split(" ", 1) for d in meta["content"].split(";"))
            assert policy["default-src"].startswith("'self'")
            assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
            assert "'unsafe-inline'" not in meta["content"] and "'unsafe-eval'" not in meta["content"]
            # Before anything the page loads: right after <meta charset>.
            assert head.index("Content-Security-Policy") < head.index("<link")
    pub_policy = BeautifulSoup((hostile[2] / "index.html").read_text(encoding="utf-8"), "html.parser").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"script-src {hostile[3][hostile[2]]}/theme/js/;" in pub_policy  # the theme's scripts only


SVG_PROBES = HOSTILE / "svg"
# Each probe of tests/fixtures/hostile/svg/ → the line it is refused at and words of the reason.
SVG_REFUSED = {
    "script-svg-prefix.svg": (3, "thẻ <s:script>"),  # a script in the SVG namespace, another prefix
    "script-xhtml.svg": (3, "thẻ <h:script> của namespace http://www.w3.org/1999/xhtml"),
    "script-utf16.svg": (4, "thẻ <script>"),  # UTF-16: the bytes hold no "<script"
    "javascript-entity-href.svg": (3, "xlink:href=“javascript:alert(4)” trên thẻ <use>"),
    "javascript-link.svg": (2, "thẻ <a>"),
    "animate-href.svg": (3, "thẻ <animate> đổi thuộc tính href"),
    "set-href.svg": (3, "thẻ <set> đổi thuộc tính xlink:href"),
    "image-external.svg": (2, "href=“https://evil.example/theo-doi.png” trên thẻ <image>: tham chiếu ra ngoài tệp"),
    "image-external-relative.svg": (2, "xlink:href=“//evil.example/theo-doi.png” trên thẻ <image>: tham chiếu ra"),
    "style-external.svg": (2, "CSS url(https://evil.example/a.svg#g): tham chiếu ra ngoài tệp"),
    "onload.svg": (1, "onload=“alert(8)” trên thẻ <svg>"),
    "foreign-object.svg": (2, "thẻ <foreignObject>"),
    "entity-declared.svg": (2, "DOCTYPE riêng"),
    "attlist-default.svg": (2, "DOCTYPE riêng"),  # an ATTLIST default adds onload in a browser
    "xml-stylesheet.svg": (2, "chỉ dẫn <?xml-stylesheet …?>"),
}


def test_every_svg_probe_is_listed():
    assert {p.name for p in SVG_PROBES.glob("*.svg")} == set(SVG_REFUSED)


@pytest.mark.parametrize("name", sorted(SVG_REFUSED))
def test_svg_probe_refused_with_its_reason(name):
    """Script in any namespace or encoding, javascript: however written, animations that make a
    link, references outside the file: each refused at its line, saying what and how to fix."""
    from cchc.core import svg

    line, words = SVG_REFUSED[name]
    found = svg.problem((SVG_PROBES / name).read_bytes())
    assert found is not None, name
    assert found[0] == line and words in found[1], found
    assert found[1].startswith("ảnh SVG ") and "xuất ảnh dạng PNG" in found[1]


_SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
SVG_RULES = [  # (SVG, words of the reason): the rules one at a time, on otherwise allowed markup
    (_SVG.format('<rect style="fill: \\75 rl(https://evil.example/a)"/>'), "CSS có ký tự “\\”"),
    (_SVG.format('<style>rect { fill: image-set("https://evil.example/a.png" 1x) }</style>'),
     "CSS có địa chỉ “https://evil.example/a.png”"),
    (_SVG.format('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>'), "địa chỉ data:"),
    (_SVG.format('<use href="hinh-khac.svg#a"/>'), "tham chiếu ra ngoài tệp"),
    (_SVG.format('<g xml:base="https://evil.example/"/>'), "xml:base"),
    (_SVG.format('<rect><animate attributeName="onclick" to="alert(1)"/></rect>'), "đổi thuộc tính onclick"),
    (_SVG.format('<text><set attributeName="style" to="x"/></text>'), "đổi thuộc tính style"),
    (_SVG.format('<rect fill="url(https://evil.example/a.svg#g)"/>'), "tham chiếu ra ngoài tệp"),
    (_SVG.format('<rect data-x="java&#9;script:alert(1)"/>'), "javascript:"),
    (_SVG.format('<view id="v"/>'), "thẻ <view>, không phải thẻ hình vẽ SVG"),
    (_SVG.format('<x:y xmlns:x="urn:khac"/>'), "namespace urn:khac"),
    ('<svg><rect/></svg>', "không có namespace SVG"),
    ('<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>', "bảng mã ISO-8859-1"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect>', "không đọc được ảnh SVG (lỗi XML"),
]


@pytest.mark.parametrize("data, words", SVG_RULES)
def test_svg_rules(data, words):
    from cchc.core import svg

    found = svg.problem(data.encode("latin-1" if "ISO-8859-1" in data else "utf-8"))
    assert found is not None and words in found[1], found


@pytest.mark.parametrize("name", sorted(p.name for p in (SVG_PROBES / "allowed").glob("*.svg")))
def test_plain_drawings_pass(name):
    """What drawing programs write (Inkscape's metadata and layers, Illustrator's DOCTYPE and
    <style>, an embedded PNG, gradients, filters, an animation of a radius) is published."""
    from cchc.core import svg

    assert svg.problem((SVG_PROBES / "allowed" / name).read_bytes()) is None


NAMED_LINKS = """---
type: tin-tuc
title: "Liên kết tới tệp có tên mang mã"
slug: lien-ket-ten-tep
date: 05/07/2021
locality: "Quận Tây Hồ"
summary: "Tóm tắt."
areas: [the-che]
---

Tải [tệp ngoặc]({static}/files/q%22onfocus=alert(7)%20x=%22.pdf) hoặc
[tệp đính kèm]({attach}/files/r%22onfocus=alert(8)%20autofocus%20x=%22.pdf).
"""


@pytest.fixture()
def unsafe_tree(tmp_path):
    """A project whose content/ links to the host's files, loops, and holds files that run."""
    proj = make_project(tmp_path)
    content = proj / "content"
    shutil.copytree(ROOT / "content" / "tin-tuc", content / "tin-tuc")
    shutil.copytree(ROOT / "content" / "ke-hoach", content / "ke-hoach")
    host = tmp_path / "host"
    host.mkdir()
    (host / "shadow").write_text("root:secret\n")
    (content / "images").mkdir()
    (content / "files").mkdir()
    (content / "images" / "etc").symlink_to(host)
    (content / "files" / "vong").symlink_to("..")
    (content / "tin-tuc" / "vong").symlink_to(".")
    (content / "files" / "passwd.pdf").symlink_to(host / "shadow")
    (content / "files" / "tien-ich.js").write_text("alert(1)\n")
    (content / "files" / "trang.html").write_text("<script>alert(1)</script>\n")
    (content / "images" / "ve.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n')
    (content / "images" / "hinh.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>\n')
    for svg in SVG_PROBES.glob("*.svg"):
        shutil.copy(svg, content / "images" / svg.name)
    for svg in (SVG_PROBES / "allowed").glob("*.svg"):
        shutil.copy(svg, content / "images" / svg.name)
    # File names Pelican would write into a link's attribute as is, and a post linking to them.
    (content / "files" / 'q"onfocus=alert(7) x=".pdf').write_bytes(b"%PDF-1.4\n")
    (content / "files" / 'r"onfocus=alert(8) autofocus x=".pdf').write_bytes(b"%PDF-1.4\n")
    (content / "tin-tuc" / "ten-tep.md").write_text(NAMED_LINKS, encoding="utf-8")
    (content / "files" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4\n")
    return proj


def test_check_and_build_refuse_unsafe_files(unsafe_tree):
    for args in (("check", "content"), ("build", "--content", "content", "--output", "output")):
        proc = run_cchc(*args, cwd=unsafe_tree)
        err = proc.stderr
        assert proc.returncode == 1, proc.stdout + err
        assert "Traceback" not in err + proc.stdout
        assert "LỖI content/images/etc: liên kết tượng trưng (symlink) trỏ ra ngoài thư mục nội dung" in err
        assert "LỖI content/files/passwd.pdf: liên kết tượng trưng (symlink) trỏ ra ngoài" in err
        assert "LỖI content/files/vong: liên kết tượng trưng (symlink) trỏ vòng" in err
        assert "LỖI content/tin-tuc/vong: liên kết tượng trưng (symlink) trỏ vòng" in err
        assert "LỖI content/files/tien-ich.js: tệp loại .js không được đăng" in err
        assert "LỖI content/files/trang.html: tệp loại .html không được đăng" in err
        assert "LỖI content/images/ve.svg:1: ảnh SVG có thuộc tính onload=" in err
        for name, (line, words) in SVG_REFUSED.items():
            assert f"LỖI content/images/{name}:{line}: ảnh SVG " in err and words in err, name
        assert 'LỖI content/files/q"onfocus=alert(7) x=".pdf: tên tệp có ký tự “"”' in err
        assert "LỖI content/tin-tuc/ten-tep.md:11: đích liên kết “{static}/files/q%22onfocus" in err
        assert "LỖI content/tin-tuc/ten-tep.md:12: đích liên kết “{attach}/files/r%22onfocus" in err
        assert "hinh.svg" not in err and "ke-hoach.pdf" not in err
        for svg in (SVG_PROBES / "allowed").glob("*.svg"):
            assert svg.name not in err
        assert not (unsafe_tree / "output").exists()


def test_static_copy_never_leaves_content(unsafe_tree):
    """Even Pelican run by hand (no check) copies nothing from outside content/ and no loop."""
    cmd = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out", "--ignore-cache"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    proc = subprocess.run(cmd, cwd=unsafe_tree, env=env, capture_output=True, text=True, check=False)
    out = unsafe_tree / "out"
    assert (out / "images" / "hinh.svg").is_file() and (out / "files" / "ke-hoach.pdf").is_file()
    assert (out / "images" / "inkscape.svg").is_file()
    assert not [name for name in SVG_REFUSED if (out / "images" / name).exists()]
    written = [p.relative_to(out).as_posix() for p in out.rglob("*")]
    assert not [p for p in written if "etc" in p.split("/") or "vong" in p.split("/")]
    assert not [p for p in written if p.endswith((".js", ".html", ".md")) and p.startswith(("files/", "images/"))]
    assert not (out / "files" / "passwd.pdf").exists()
    assert "secret" not in "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()
                                   and p.suffix not in (".png", ".jpg", ".woff2"))
    assert "liên kết tượng trưng" in proc.stdout + proc.stderr


def test_links_to_refused_file_names_stay_inert(unsafe_tree):
    """Pelican run by hand (no check) still expands {static}/{attach} to a file whose name holds a
    quote, writing the name as is; the page and the feeds get only the link."""
    out = _pelican_unchecked(unsafe_tree, "publishconf.py", {"SITEURL": "https://cchc.example.gov.vn"})
    page = BeautifulSoup((out / "tin-tuc" / "lien-ket-ten-tep" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    body = page.find("div", class_="c-prose")
    assert [a.get_text() for a in body.find_all("a")] == ["tệp ngoặc", "tệp đính kèm"]
    assert not _active_markup(body)
    assert all(list(a.attrs) == ["href"] for a in body.find_all("a"))
    import feedparser

    seen = 0
    for feed in (out / "feeds").rglob("*.xml"):
        parsed = feedparser.parse(feed.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
        for entry in parsed.entries:
            for content in entry.get("content", []):
                if "tệp ngoặc" in content["value"]:
                    seen += 1
                    soup = BeautifulSoup(content["value"], "html.parser")
                    assert not _active_markup(soup), feed.name
                    assert all(list(a.attrs) == ["href"] for a in soup.find_all("a")), feed.name
    assert seen


def _pelican_unchecked(proj, settings, env):
    """Pelican on *proj* as someone might run it by hand: no check first, errors not fatal."""
    cmd = [sys.executable, "-m", "pelican", "content", "-s", settings, "-o", "out", "--ignore-cache"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), **env)
    subprocess.run(cmd, cwd=proj, env=env, capture_output=True, text=True, check=False)
    return proj / "out"


def test_reserved_slugs_cover_every_path_the_site_writes(hostile):
    from cchc.core import slugify
    from cchc.core.schema import RESERVED_SLUGS

    page_slugs = {p.stem for p in (ROOT / "content" / "pages").glob("*.md")} | {"trang-doc-hai"}
    page_slugs |= {"gioi-thieu", "lien-he", "tuyen-bo-tro-nang"}
    old = {"tin-cu"}  # the fixture's old paths (redirect pages)
    for out in hostile[1:3]:
        written = {p.name.split(".")[0] for p in out.iterdir()} - page_slugs - old
        assert written <= RESERVED_SLUGS, written - RESERVED_SLUGS
    assert slugify("tim kiem") in RESERVED_SLUGS


WORD_BREAK = """---
type: tin-tuc
title: "Dòng một\vdòng hai"
date: 01/01/2024
locality: Huyện Tam Dương
summary: "Tóm tắt."
areas: [the-che]
---

Nội dung có NUL\0 ở giữa.
"""


def test_control_characters_and_reserved_slugs_fail_check_and_build_first(tmp_path):
    proj = make_project(tmp_path)
    (proj / "content" / "tin-tuc").mkdir()
    (proj / "content" / "pages").mkdir()
    (proj / "content" / "tin-tuc" / "word.md").write_text(WORD_BREAK, encoding="utf-8")
    for slug in ("tim-kiem", "tin-tuc", "theo-doi"):
        (proj / "content" / "pages" / f"{slug}.md").write_text(
            f"---\ntype: trang\ntitle: Trang {slug}\nslug: {slug}\n---\n\nx\n", encoding="utf-8")
    for args in (("check", "content"), ("build", "--content", "content", "--output", "output")):
        proc = run_cchc(*args, cwd=proj)
        assert proc.returncode == 1
        err = proc.stderr
        assert "Traceback" not in err + proc.stdout and "ValueError" not in err + proc.stdout
        assert "LỖI content/tin-tuc/word.md:3: có ký tự ẩn U+000B (ngắt dòng của Word) ở cột 17" in err
        assert "LỖI content/tin-tuc/word.md:10: có ký tự ẩn U+0000 (NUL) ở cột 16" in err
        for slug in ("tim-kiem", "tin-tuc", "theo-doi"):
            assert f"LỖI content/pages/{slug}.md:4: trường “slug” (Đường dẫn (slug)): “{slug}” là đường dẫn của chính cổng" in err
        assert not (proj / "output").exists()


def test_tag_limit_and_sitemap_lastmod_never_after_the_build(tmp_path):
    proj = make_project(tmp_path)
    news = proj / "content" / "tin-tuc"
    news.mkdir()
    post = ('---\ntype: tin-tuc\ntitle: "{title}"\nslug: {slug}\ndate: 01/01/2024\nlocality: Huyện Tam Dương\n'
            'summary: "Tóm tắt."\nareas: [the-che]\n{extra}---\n\nNội dung.\n')
    many = ", ".join(f"từ khóa {i}" for i in range(10_000))
    (news / "nhieu.md").write_text(post.format(title="Nhiều", slug="nhieu", extra=f"tags: [{many}]\n"),
                                   encoding="utf-8")
    proc = run_cchc("check", "content", cwd=proj)
    assert proc.returncode == 1
    assert ("LỖI content/tin-tuc/nhieu.md:9: trường “tags” (Từ khóa): có 10000 từ khóa; "
            "mỗi bài tối đa 20 từ khóa") in proc.stderr
    (news / "nhieu.md").unlink()
    (news / "sua.md").write_text(post.format(title="Sửa", slug="sua", extra="modified: 31/12/9999\n"),
                                 encoding="utf-8")
    (news / "thuong.md").write_text(post.format(title="Thường", slug="thuong", extra="modified: 02/01/2024\n"),
                                    encoding="utf-8")
    _pelican(proj, "publishconf.py", proj / "out", {"SITEURL": "https://cchc.example.gov.vn",
                                                    "CCHC_NOW": "2025-06-01T00:00+07:00"})
    sitemap = (proj / "out" / "sitemap.xml").read_text(encoding="utf-8")
    assert "9999" not in sitemap
    assert "<loc>https://cchc.example.gov.vn/tin-tuc/sua/</loc><lastmod>2024-01-01T00:00:00+07:00</lastmod>" in sitemap
    assert "<loc>https://cchc.example.gov.vn/tin-tuc/thuong/</loc><lastmod>2024-01-02T00:00:00+07:00</lastmod>" in sitemap


def test_editor_preview_sanitises_the_body():
    """The web editor (Decap) previews Markdown bodies: their raw HTML must not run there either."""
    from cchc.studio.cmsconfig import collection

    for kind in ("tin-tuc", "ke-hoach", "bao-cao", "trang"):
        body = [f for f in collection(kind)["fields"] if f["name"] == "body"]
        assert body and body[0]["sanitize_preview"] is True
