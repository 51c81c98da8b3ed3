"""Issue 8: `make publish` under a subpath, link check, reproducible output, production extras."""

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, files_of, html_files, make_project, publish_build, run_cchc

SITEURL = "https://example.gov.vn/cchc"
TEXT_EXTS = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}


def _plugins():
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]


# The header's search form points to /tim-kiem/, a page the search plugin writes. Until that
# plugin is part of the build, that one link is expected to be missing; once it is, it is checked.
IGNORE = [] if "cchc_search" in _plugins() else ["/tim-kiem/$"]


def publish(tmp_path, siteurl=SITEURL, content=ROOT / "content"):
    proj = make_project(tmp_path, content)
    proc = publish_build(proj, siteurl)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj / "output"


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """The real content built with publishconf.py for https://example.gov.vn/cchc/."""
    return publish(tmp_path_factory.mktemp("pub"))


def test_subpath_build_has_no_broken_links(published):
    ignore = [a for p in IGNORE for a in ("--ignore", p)]
    proc = run_cchc("linkcheck", published, *ignore)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SITEURL {SITEURL}" in proc.stdout  # found from the canonical link, not guessed


def test_every_internal_url_stays_under_the_subpath(published):
    bad = []
    for page in html_files(published):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup.find_all(["a", "link", "script", "img", "form"]):
            url = tag.get("href") or tag.get("src") or tag.get("action")
            if not url or url.startswith(("#", "mailto:", "tel:")):
                continue
            parts = urlsplit(url)
            if parts.netloc in ("", "example.gov.vn") and not parts.path.startswith("/cchc/"):
                bad.append((page.relative_to(published).as_posix(), url))
    assert not bad, bad[:10]


def test_linkcheck_reports_each_kind_of_mistake(published, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(published, site)
    (site / "loi").mkdir()
    (site / "loi" / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url=https://example.gov.vn/cchc/cu/"></head>'
        '<body><a href="/tin-tuc/">root-relative, no subpath</a><img src="anh-khong-co.png" alt="">'
        '<a href="https://example.gov.vn/cchc/tin-tuc/#khong-co-id">fragment</a>'
        '<a href="https://other.example.org/x">external</a></body></html>', encoding="utf-8")
    (site / "feed.xml").write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<link href="https://example.gov.vn/cchc/tin-tuc/bai-khong-co/"/></feed>', encoding="utf-8")
    (site / "shard.json").write_text('{"docs": [{"url": "ke-hoach/khong-co/", "t": "x"}]}', encoding="utf-8")
    css = next((site / "theme" / "css").glob("main.*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n.x{background:url(../img/khong-co.svg)}\n", encoding="utf-8")
    page404 = site / "404.html"
    page404.write_text(page404.read_text(encoding="utf-8").replace("</main>", '<a href="tin-tuc/">rel</a></main>'),
                       encoding="utf-8")

    proc = run_cchc("linkcheck", site, "--siteurl", SITEURL, *[a for p in IGNORE for a in ("--ignore", p)])
    assert proc.returncode == 1
    err = proc.stderr
    for needle in ("loi/index.html: https://example.gov.vn/cchc/cu/",  # redirect target
                   "loi/index.html: /tin-tuc/ (nằm ngoài đường dẫn con /cchc/",
                   "loi/index.html: anh-khong-co.png",
                   "#khong-co-id",
                   "feed.xml: https://example.gov.vn/cchc/tin-tuc/bai-khong-co/",
                   "shard.json: ke-hoach/khong-co/",
                   "../img/khong-co.svg",
                   "404.html: tin-tuc/ (trang 404"):
        assert needle in err, (needle, err)
    assert "other.example.org" not in err
    assert "Có 8 liên kết hỏng" in err


def test_two_builds_are_byte_identical(published, tmp_path):
    again = publish(tmp_path)
    first, second = files_of(published), files_of(again)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, differ[:10]


def test_text_files_have_identical_precompressed_twins(published):
    checked = 0
    for path in published.rglob("*"):
        if path.suffix not in TEXT_EXTS or path.stat().st_size < 256:
            continue
        data = path.read_bytes()
        gz = Path(f"{path}.gz").read_bytes()
        assert gzip.decompress(gz) == data, path
        assert gz[4:8] == b"\0\0\0\0", f"{path}.gz carries a timestamp"
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == data, path
        checked += 1
    assert checked > 30


def assert_twins_match(root):
    checked = 0
    for path in Path(root).rglob("*"):
        if path.suffix not in TEXT_EXTS or path.stat().st_size < 256:
            continue
        data = path.read_bytes()
        assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == data, path
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == data, path
        checked += 1
    return checked


def test_rebuild_after_an_edit_has_matching_twins(tmp_path, monkeypatch):
    out = publish(tmp_path)
    proj = out.parent
    post = next((proj / "content" / "tin-tuc").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nĐoạn mới thêm khi sửa bài.\n", encoding="utf-8")
    proc = publish_build(proj, SITEURL)
    assert proc.returncode == 0, proc.stderr
    assert "Đoạn mới thêm" in "".join(p.read_text(encoding="utf-8") for p in html_files(out))
    assert assert_twins_match(out) > 30


def test_assets_get_content_hashed_names(published):
    page = (published / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    sheets = [l["href"] for l in soup.find_all("link", rel="stylesheet")]
    assert sheets and all(re.search(r"/theme/css/(main|print)\.[0-9a-f]{10}\.css$", h) for h in sheets), sheets
    for href in sheets:
        hashed = published / urlsplit(href).path.removeprefix("/cchc/")
        plain = hashed.with_name(hashed.name.split(".")[0] + ".css")
        assert hashed.read_bytes() == plain.read_bytes()


def test_sitemap_robots_canonical_and_open_graph(published):
    sitemap = BeautifulSoup((published / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locs = [l.text for l in sitemap.find_all("loc")]
    article = f"{SITEURL}/tin-tuc/cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep/"
    assert article in locs and f"{SITEURL}/" in locs
    assert all(l.startswith(SITEURL + "/") for l in locs)
    assert not any("404" in l for l in locs)
    assert not any(m.text.startswith("1970") for m in sitemap.find_all("lastmod"))
    assert f"Sitemap: {SITEURL}/sitemap.xml" in (published / "robots.txt").read_text(encoding="utf-8")

    soup = BeautifulSoup((published / article.removeprefix(SITEURL + "/") / "index.html").read_text(encoding="utf-8"), "lxml")
    assert soup.find("link", rel="canonical")["href"] == article
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:url"] == article and og["og:type"] == "article"
    assert og["og:title"] == soup.find("h1").get_text(strip=True)
    assert not BeautifulSoup((published / "404.html").read_text(encoding="utf-8"), "lxml").find("link", rel="canonical")


def test_sitemap_is_the_same_whatever_the_plugin_order(published, tmp_path):
    """cchc_seo listed before the plugins that write listings and document pages still lists them."""
    proj = make_project(tmp_path, ROOT / "content")
    with open(proj / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write('\nPLUGINS = ["cchc_seo"] + [p for p in PLUGINS if p != "cchc_seo"]\n')
    proc = publish_build(proj, SITEURL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sitemap = (proj / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITEURL}/linh-vuc/" in sitemap and f"<loc>{SITEURL}/van-ban/" in sitemap
    assert sitemap == (published / "sitemap.xml").read_text(encoding="utf-8")


def test_make_publish_targets_build_check_then_upload():
    env = dict(os.environ, SITEURL=SITEURL)
    expected = {
        "rsync_upload": r"rsync .*--delete .*\"output/\" \"deploy@web1:/var/www/cchc\"",
        "sftp_upload": r"sftp \"deploy@web1:/var/www/cchc\"",
        "ftp_upload": r"lftp ftp://ftpuser@ftp\.example\.org -e \"mirror -R .*output /public_html",
        "s3_upload": r"aws s3 sync \"output/\" \"s3://cchc-bucket\" --delete",
        "github": r"ghp-import\"? -n .*-b gh-pages \"output\"",
    }
    for target, pattern in expected.items():
        proc = subprocess.run(
            ["make", "-n", target, "SSH_HOST=web1", "SSH_USER=deploy", "FTP_HOST=ftp.example.org",
             "FTP_USER=ftpuser", "FTP_TARGET_DIR=/public_html", "S3_BUCKET=cchc-bucket"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        lines = proc.stdout.splitlines()
        publish = [i for i, l in enumerate(lines) if "cchc\" build" in l and "publishconf.py" in l and "--linkcheck" in l]
        upload = [i for i, l in enumerate(lines) if re.search(pattern, l)]
        assert publish and upload, (target, proc.stdout)
        assert publish[0] < upload[0], f"{target} must upload only after a checked build"


# --- Content-Security-Policy samples against the built pages ---------------------------------

def csp_samples():
    """The pages' policy of each deploy/ sample (the other one they hold is the SVG images')."""
    from cchc.core import svg

    found = {}
    for name in ("nginx.conf", "apache.htaccess"):
        text = (ROOT / "deploy" / name).read_text(encoding="utf-8")
        policies = set(re.findall(r'"(default-src [^"]+)"', text))
        assert svg.POLICY in policies, (name, policies)
        policies.discard(svg.POLICY)
        assert len(policies) == 1, (name, policies)
        found[name] = policies.pop()
    return found


def parse_csp(policy):
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def allowed(directives, kind, url, site_host):
    sources = directives.get(kind, directives.get("default-src", []))
    parts = urlsplit(url)
    if parts.scheme == "data":
        return "data:" in sources
    same_origin = not parts.netloc or parts.netloc == site_host
    return ("'self'" in sources and same_origin) or any(s in (url, parts.netloc) for s in sources)


def test_csp_samples_agree_and_forbid_inline_code():
    samples = csp_samples()
    assert len(set(samples.values())) == 1, samples
    policy = parse_csp(next(iter(samples.values())))
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy.get(directive, []) and "'unsafe-eval'" not in policy.get(directive, [])
    assert policy["object-src"] == ["'none'"]


def test_csp_would_block_nothing_on_the_published_pages(published):
    policy = parse_csp(next(iter(csp_samples().values())))
    host = "example.gov.vn"
    problems = []
    for page in html_files(published):
        rel = page.relative_to(published).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup.find_all(True):
            if tag.get("style") is not None:
                problems.append((rel, f"style attribute on <{tag.name}>"))
            for attr in tag.attrs:
                if attr.lower().startswith("on"):
                    problems.append((rel, f"inline handler {attr}"))
            if (tag.get("href") or "").strip().lower().startswith("javascript:"):
                problems.append((rel, "javascript: URL"))
        for _tag in soup.find_all("style"):
            problems.append((rel, "<style> element"))
        for tag in soup.find_all("script"):
            if tag.get("src"):
                if not allowed(policy, "script-src", tag["src"], host):
                    problems.append((rel, f"script {tag['src']}"))
            elif (tag.get("type") or "").lower() not in ("application/ld+json", "application/json"):
                problems.append((rel, "inline <script>"))
        for tag in soup.find_all("link", rel="stylesheet"):
            if not allowed(policy, "style-src", tag["href"], host):
                problems.append((rel, f"stylesheet {tag['href']}"))
        for tag in soup.find_all(["img", "source"]):
            if tag.get("src") and not allowed(policy, "img-src", tag["src"], host):
                problems.append((rel, f"image {tag['src']}"))
        for tag in soup.find_all("form"):
            if tag.get("action") and not allowed(policy, "form-action", tag["action"], host):
                problems.append((rel, f"form action {tag['action']}"))
    assert not problems, problems[:10]
    assert len(html_files(published)) > 20


EDITOR = ('\nCCHC_STUDIO = {"BACKEND": {"name": "gitlab", "repo": "so-noi-vu/cong-cchc", "app_id": "abc123"},'
          ' "EDITORIAL_WORKFLOW": True}\n')


@pytest.mark.parametrize("editor", [True, False])
def test_make_publish_installs_the_editor_package_only_when_it_ships(tmp_path, editor):
    """A fresh clone (no node_modules/) publishing with the web editor gets the pinned npm
    packages installed by `make publish` itself, as `make studio` does; without the editor,
    publish needs no npm. (npm is a stand-in here that records its arguments.)"""
    proj = make_project(tmp_path, ROOT / "content", makefile=True)
    if (proj / "node_modules").is_symlink():
        (proj / "node_modules").unlink()
    if editor:
        with open(proj / "publishconf.py", "a", encoding="utf-8") as fh:
            fh.write(EDITOR)
    npm = tmp_path / "npm"
    npm.write_text("#!/bin/sh\necho \"$@\" >> npm-calls.txt\nmkdir -p node_modules/decap-cms/dist\n"
                   "echo '/* stand-in */' > node_modules/decap-cms/dist/decap-cms.js\n", encoding="utf-8")
    npm.chmod(0o755)
    proc = subprocess.run(["make", "-s", "-o", ".venv/bin/.installed", "publish", f"NPM={npm}", "ALLOW_EXAMPLE=1",
                           f"SITEURL={SITEURL}"] + [f"LINKCHECK_IGNORE={p}" for p in IGNORE],
                          cwd=proj, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    calls = (proj / "npm-calls.txt").read_text().splitlines() if (proj / "npm-calls.txt").exists() else []
    if editor:
        assert calls == ["ci --no-audit --no-fund --ignore-scripts --loglevel=error"]
        assert (proj / "output" / "admin" / "config.yml").is_file()
        assert (proj / "output" / "admin" / "decap-cms.js").read_text().startswith("/* stand-in */")
    else:
        assert calls == []
        assert not (proj / "output" / "admin").exists()


def test_a_publish_from_the_caches_equals_a_cold_one(published):
    """Later publishes of the same project take their compressed twins (.cache/precompress/) and
    what each page links to (.cache/links/) from the earlier ones: the same files, byte for
    byte, and the link check still passes."""
    proj = published.parent
    first = files_of(published)
    for n in (1, 2):  # the first fills .cache/links/, the second reads it
        assert list((proj / ".cache" / "precompress").iterdir())
        proc = publish_build(proj, SITEURL, "--output", f"output-warm-{n}", "--linkcheck")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert list((proj / ".cache" / "links").iterdir())
        again = files_of(proj / f"output-warm-{n}")
        assert sorted(first) == sorted(again)
        assert not [name for name in first if first[name] != again[name]]
