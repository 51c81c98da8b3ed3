"""Issue 34: what `make publish` keeps between builds (.cache/links/, .cache/precompress/) never
hides a broken link nor ships a stale compressed twin."""

import gzip
import random
import shutil

import brotli

from cchc.cli import linkcheck
from cchc_precompress import cchc_precompress as pre

SITE = "https://example.gov.vn/cchc"


def page(body, ids=()):
    anchors = "".join(f'<h2 id="{i}">{i}</h2>' for i in ids)
    return f"<!doctype html><html><head><title>t</title></head><body>{anchors}{body}</body></html>"


def small_site(root):
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "index.html").write_text(page(f'<a href="{SITE}/a/">A</a> <a href="{SITE}/b/#phan-2">B</a>'))
    (root / "a" / "index.html").write_text(page('<a href="../b/">B</a> <img src="/cchc/logo.svg" alt="">'))
    (root / "b" / "index.html").write_text(page(f'<a href="{SITE}/">home</a>', ids=["phan-2"]))
    (root / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "data.json").write_text('{"items": [{"url": "a/"}, {"url": "b/"}]}')


def counting(monkeypatch):
    """Count the pages the check parses."""
    calls = []
    real = linkcheck.html_links

    def html_links(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(linkcheck, "html_links", html_links)
    return calls


def test_a_target_gone_is_reported_though_no_page_was_parsed_again(tmp_path, monkeypatch):
    root, cache = tmp_path / "out", tmp_path / "cache"
    small_site(root)
    assert linkcheck.check_tree(root, SITE, cache=cache) == []
    calls = counting(monkeypatch)
    (root / "logo.svg").unlink()
    broken = linkcheck.check_tree(root, SITE, cache=cache)
    assert calls == []  # every page came from the cache
    assert [(b.source, b.url) for b in broken] == [("a/index.html", "/cchc/logo.svg")]
    assert "không có tệp logo.svg" in broken[0].reason


def test_a_fragment_gone_from_a_changed_page_is_reported(tmp_path, monkeypatch):
    root, cache = tmp_path / "out", tmp_path / "cache"
    small_site(root)
    assert linkcheck.check_tree(root, SITE, cache=cache) == []
    calls = counting(monkeypatch)
    (root / "b" / "index.html").write_text(page(f'<a href="{SITE}/">home</a>', ids=["phan-3"]))
    broken = linkcheck.check_tree(root, SITE, cache=cache)
    assert len(calls) == 1  # only the changed page was parsed
    assert [(b.source, b.url) for b in broken] == [("index.html", f"{SITE}/b/#phan-2")]


def test_a_broken_link_added_to_a_page_is_reported(tmp_path):
    root, cache = tmp_path / "out", tmp_path / "cache"
    small_site(root)
    assert linkcheck.check_tree(root, SITE, cache=cache) == []
    (root / "a" / "index.html").write_text(page('<a href="../c/">C</a> <a href="/tin-tuc/">outside</a>'))
    (root / "data.json").write_text('{"items": [{"url": "a/"}, {"url": "khong-co/"}]}')
    broken = {(b.source, b.url) for b in linkcheck.check_tree(root, SITE, cache=cache)}
    assert broken == {("a/index.html", "../c/"), ("a/index.html", "/tin-tuc/"), ("data.json", "khong-co/")}
    # The same verdicts as a check without any cache.
    assert broken == {(b.source, b.url) for b in linkcheck.check_tree(root, SITE)}


def test_the_same_link_resolved_once_still_names_every_page_it_is_broken_on(tmp_path):
    root = tmp_path / "out"
    small_site(root)
    for name in ("a", "b"):
        (root / name / "index.html").write_text(page(f'<a href="{SITE}/mat/">gone</a>', ids=["phan-2"]))
    broken = [(b.source, b.url) for b in linkcheck.check_tree(root, SITE, cache=tmp_path / "cache")]
    assert broken == [("a/index.html", f"{SITE}/mat/"), ("b/index.html", f"{SITE}/mat/")]


def text_tree(root):
    root.mkdir()
    (root / "a.html").write_text("<p>" + "cải cách hành chính " * 200 + "</p>", encoding="utf-8")
    (root / "b.json").write_text('{"k": "' + "x" * 2000 + '"}')
    (root / "same.html").write_text((root / "a.html").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "tiny.css").write_text("a{}")  # under MIN_SIZE: no twins
    (root / "random.txt").write_bytes(random.Random(34).randbytes(600))  # not smaller compressed: no twins


def assert_twins_right(root, conf):
    for path in root.iterdir():
        if path.suffix in (".gz", ".br"):
            continue
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if len(data) < conf["MIN_SIZE"] or path.name == "random.txt":
            assert not gz.exists() and not br.exists(), path
            continue
        assert gz.read_bytes() == pre.gzip_bytes(data, conf["GZIP_LEVEL"])
        assert br.read_bytes() == brotli.compress(data, quality=conf["BROTLI_QUALITY"], mode=brotli.MODE_TEXT)


def test_cached_twins_equal_fresh_ones_and_only_new_bytes_are_compressed(tmp_path, monkeypatch):
    conf = pre.settings_for({})
    cache = tmp_path / "cache"
    first = tmp_path / "first"
    text_tree(first)
    assert pre.precompress(first, conf, cache) == 6
    assert_twins_right(first, conf)
    # A second build into a new folder: one file changed, the rest from the cache.
    second = tmp_path / "second"
    text_tree(second)
    (second / "b.json").write_text('{"k": "' + "y" * 2000 + '"}')
    compressed = []
    real = pre._twins
    monkeypatch.setattr(pre, "_twins", lambda data, *a: compressed.append(data) or real(data, *a))
    assert pre.precompress(second, conf, cache) == 6
    assert compressed == [(second / "b.json").read_bytes()]
    assert_twins_right(second, conf)
    # The cache keeps what the last build used: the old b.json's twins are gone.
    kept = {p.name.partition(".")[0] for p in next(cache.iterdir()).iterdir()}
    assert kept == {pre._digest((second / name).read_bytes()) for name in ("a.html", "b.json", "random.txt")}


def test_without_a_cache_every_file_is_compressed_and_nothing_is_left_behind(tmp_path):
    conf = pre.settings_for({})
    root = tmp_path / "out"
    text_tree(root)
    assert pre.precompress(root, conf) == 6
    assert_twins_right(root, conf)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cache_entries_are_written_whole(tmp_path):
    """An entry is a hard link to a twin written whole beside its file (or an empty "none" file):
    a killed build leaves no half twin under an entry's name, and no temporary file here."""
    conf = pre.settings_for({})
    cache = tmp_path / "cache"
    first = tmp_path / "first"
    text_tree(first)
    pre.precompress(first, conf, cache)
    folder = next(cache.iterdir())
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
    # A twin is written once, beside the first file with its bytes, and that file is the entry;
    # the other file with the same bytes gets it linked.
    entry = folder / (pre._digest((first / "a.html").read_bytes()) + ".gz")
    assert {(first / name).stat().st_ino for name in ("a.html.gz", "same.html.gz")} == {entry.stat().st_ino}
    assert entry.stat().st_nlink == 3
    second = tmp_path / "second"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    pre.precompress(second, conf, cache)
    assert gzip.decompress((second / "a.html.gz").read_bytes()) == (second / "a.html").read_bytes()


def test_many_pages_parsed_by_the_pool_give_the_verdicts_of_one_process(tmp_path, monkeypatch):
    """From 200 files the pages are parsed by forked processes (linkcheck._parse_all); the
    verdicts, and what the cache keeps, are those of parsing them here."""
    from cchc.core import parallel

    root = tmp_path / "out"
    root.mkdir()
    rng = random.Random(3)
    for n in range(400):
        links = [f'<a href="../p{(n + 1) % 400}/">sau</a>', f'<a href="/cchc/p{n // 2}/#muc-{n % 3}">muc</a>']
        if rng.random() < 0.05:
            links.append(f'<a href="/cchc/khong-co-{n}/">hỏng</a>')
        (root / f"p{n}").mkdir()
        (root / f"p{n}" / "index.html").write_text(page(" ".join(links), ids=[f"muc-{n % 3}"]), encoding="utf-8")
    pooled = linkcheck.check_tree(root, SITE, cache=tmp_path / "cache")
    assert parallel.enabled() and len(pooled) > 10
    monkeypatch.setattr(parallel, "enabled", lambda settings=None: False)
    assert linkcheck.check_tree(root, SITE) == pooled
    calls = counting(monkeypatch)
    assert linkcheck.check_tree(root, SITE, cache=tmp_path / "cache") == pooled
    assert calls == []  # what the pool parsed was kept


def test_a_twin_linked_into_both_trees_is_not_read_back(tmp_path, monkeypatch):
    """keep_unchanged_mtimes reads each new file to digest it, unless it is the very file of the
    old tree (one inode: a compressed twin hard-linked from .cache/precompress into both) and the
    record knows that inode as it is now. A file changed since the record is read again."""
    import os

    from cchc.cli import build as build_module

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a.html.gz").write_bytes(b"nen" * 100)
    os.link(old / "a.html.gz", new / "a.html.gz")
    (old / "b.html").write_bytes(b"<p>trang</p>")
    (new / "b.html").write_bytes(b"<p>trang</p>")
    st = (old / "a.html.gz").stat()
    known = {"a.html.gz": (st.st_size, st.st_mtime_ns, st.st_ino, "ban-ghi")}
    opened = []
    real_open = open

    def watched(path, *args, **kwargs):
        opened.append(os.path.basename(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(build_module, "open", watched, raising=False)
    records = {r[0]: r for r in build_module.keep_unchanged_mtimes(new, old, known)}
    assert records["a.html.gz"][4] == "ban-ghi" and "a.html.gz" not in opened
    assert "b.html" in opened  # a file of its own is read as before
    known["a.html.gz"] = (st.st_size, st.st_mtime_ns - 1, st.st_ino, "ban-ghi")  # changed since
    records = {r[0]: r for r in build_module.keep_unchanged_mtimes(new, old, known)}
    assert records["a.html.gz"][4] != "ban-ghi" and "a.html.gz" in opened


def test_a_link_resolved_once_for_all_pages_is_still_judged_on_each(tmp_path):
    """check_tree resolves an absolute or root-relative URL once for every page that has it
    (the result does not depend on the page); what it reports stays per page: a missing target
    or id on each page linking to it, a relative link from where it stands, a fragment of the
    page itself on that page."""
    root = tmp_path / "site"
    for folder in ("x", "y", "x/z"):
        (root / folder).mkdir(parents=True)
    links = (f'<a href="{SITE}/mat/">gone</a> <a href="/cchc/x/#phan-9">id</a> <a href="z/">rel</a> '
             '<a href="#tai-cho">self</a>')
    (root / "index.html").write_text(page("home"))
    (root / "x" / "index.html").write_text(page(links, ids=["tai-cho"]))
    (root / "y" / "index.html").write_text(page(links))
    (root / "x" / "z" / "index.html").write_text(page("z"))
    found = {(b.source, b.url) for b in linkcheck.check_tree(root, SITE)}
    assert found == {
        ("x/index.html", f"{SITE}/mat/"), ("y/index.html", f"{SITE}/mat/"),
        ("x/index.html", "/cchc/x/#phan-9"), ("y/index.html", "/cchc/x/#phan-9"),
        ("y/index.html", "z/"),  # y/z/ does not exist; x/z/ does
        ("y/index.html", "#tai-cho"),  # only x has that id
    }


def test_every_kind_of_link_and_id_is_found_in_a_page():
    """linkcheck.html_links (XPath over lxml's tree, from UTF-8 bytes): each place a page links
    from, each id a fragment may name; bytes that are not UTF-8 and an empty file do not stop it;
    json_links keeps URL keys and absolute URLs of this site only."""
    page_bytes = (
        '<!DOCTYPE html><html><head><meta http-equiv="Refresh" content="0; url=/cchc/moi/">'
        '<meta property="og:url" content="https://example.gov.vn/cchc/a/">'
        '<meta property="og:image" content="/cchc/anh.png"><meta name="x" content="/khong/">'
        '<link rel="stylesheet" href="/cchc/a.css"><style>.a{background:url(nen.svg)}</style></head>'
        '<body><a href="b/" id="dau">b</a><a name="cu">c</a><img src="c.png" srcset="d.png 1x, e.png 2x" alt="">'
        '<picture><source imagesrcset="f.webp 640w"></picture><video poster="g.jpg"></video>'
        '<form action="/cchc/tim-kiem/"></form><!-- <a href="chu-thich/"> --><p id="đoạn-2">đ</p>'
        '</body></html>').encode() + b"\xff\xfe"
    links, ids = linkcheck.html_links(page_bytes)
    assert sorted(links) == sorted(["/cchc/moi/", "https://example.gov.vn/cchc/a/", "/cchc/anh.png", "/cchc/a.css",
                                    "nen.svg", "b/", "c.png", "d.png", "e.png", "f.webp", "g.jpg", "/cchc/tim-kiem/"])
    assert ids == {"dau", "cu", "đoạn-2"}
    assert linkcheck.html_links(page_bytes.decode("utf-8", "replace")) == (links, ids)  # a str alike
    assert linkcheck.html_links(b"") == ([], set())
    site = linkcheck.Site.from_siteurl(SITE)
    found = linkcheck.json_links('{"url": "a/", "t": ["văn bản // không phải liên kết", '
                                 '"https://example.gov.vn/cchc/b/", "https://khac.vn/c/"]}', site)
    assert found == ["a/", "https://example.gov.vn/cchc/b/"]


def test_the_pool_after_the_pages_forks_only_where_it_helps(monkeypatch):
    """cchc.core.parallel.process_pool (twins, link check): no pool for a few jobs or without a
    second core to fork onto; otherwise one process per core, at most *most*."""
    from cchc.core import parallel

    assert parallel.process_pool(10, 64) is None
    monkeypatch.setattr(parallel, "enabled", lambda settings=None: False)
    assert parallel.process_pool(1000, 64) is None
    monkeypatch.setattr(parallel, "enabled", lambda settings=None: True)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3, 4, 5}, raising=False)
    with parallel.process_pool(1000, 64, most=4) as pool:
        assert pool._max_workers == 4
    with parallel.process_pool(1000, 64) as pool:
        assert pool._max_workers == 6
