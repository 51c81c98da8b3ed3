"""cchc_pagecache's store: what it keeps between builds, and a file it cannot use (in process).
The pages themselves against a cold build: tests/site/test_page_cache.py."""

import sqlite3

from cchc_pagecache.cchc_pagecache import PageStore


def _build(path, site, render, reuse=()):
    """One build's use of the store: *reuse* keys are asked for, *render* keys are new pages."""
    store = PageStore(path)
    store.site = site
    got = {key: store.get(key) for key in reuse}
    for key in render:
        assert store.get(key) is None
        store.put(key, f"<p>{site} {key}</p>")
    store.close()
    return got


def _rows(path):
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT key, generation FROM row"))


def test_a_build_keeps_what_it_used_and_rendered_and_drops_the_rest_of_its_site(tmp_path):
    path = tmp_path / "pages.sqlite"
    _build(path, "html", ["a", "b", "c"])
    got = _build(path, "html", ["d"], reuse=["a", "b"])
    assert got == {"a": "<p>html a</p>", "b": "<p>html b</p>"}
    assert _rows(path) == {"a": "html", "b": "html", "d": "html"}


def test_the_last_three_sites_are_kept_so_html_publish_and_studio_can_alternate(tmp_path):
    path = tmp_path / "pages.sqlite"
    _build(path, "html", ["h"])
    _build(path, "publish", ["p"])
    _build(path, "studio", ["s"])
    assert _build(path, "html", [], reuse=["h"]) == {"h": "<p>html h</p>"}
    _build(path, "front-matter-edited", ["e"])  # a fourth site: the least recently built goes
    assert _rows(path) == {"h": "html", "s": "studio", "e": "front-matter-edited"}


def test_a_file_that_is_not_a_database_means_rendering_everything(tmp_path):
    path = tmp_path / "pages.sqlite"
    path.write_bytes(b"not a database\n" * 100)
    assert _build(path, "html", ["a"]) == {}  # get → None, put and close say nothing
    (tmp_path / "folder.sqlite").mkdir()
    assert _build(tmp_path / "folder.sqlite", "html", ["a"]) == {}


def test_a_file_of_another_layout_is_emptied_and_used(tmp_path):
    """An earlier version's table (no site column): its rows would never be replaced."""
    path = tmp_path / "pages.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE page (key TEXT PRIMARY KEY, html BLOB NOT NULL)")
        db.execute("INSERT INTO page VALUES ('a', x'00')")
    _build(path, "html", ["a", "b"])
    assert _build(path, "html", [], reuse=["a", "b"]) == {"a": "<p>html a</p>", "b": "<p>html b</p>"}


def test_the_file_gives_back_the_room_of_pages_it_no_longer_keeps(tmp_path):
    path = tmp_path / "pages.sqlite"
    big = [f"k{n}" for n in range(2000)]
    store = PageStore(path)
    store.site = "html"
    for key in big:
        store.put(key, f"<p>{key}</p>" + "trang " * 500)
    store.close()
    full = path.stat().st_size
    _build(path, "html", ["a"])  # none of the 2,000 used: dropped
    assert path.stat().st_size < full / 4


def test_a_pages_sum_is_noted_only_when_the_file_holds_that_page_alone(tmp_path):
    """The size and digest noted beside a page (for the next build to link the live file unread)
    are those of the page: a file written with more than the page notes nothing."""
    from cchc.core import outputtree
    from cchc_pagecache.cchc_pagecache import _Pending, _Taken

    class Store:
        def __init__(self):
            self.noted = {}

        def note_sum(self, key, size, digest):
            self.noted[key] = (size, digest)

    class Tree:  # a new tree with nothing to link from
        def write(self, path, data, data_digest=None):
            path.write_bytes(data)

    store, page = Store(), "<p>Trang đã có</p>"
    with _Pending(tmp_path / "a.html", "utf-8", Tree(), store) as fh:
        fh.write(_Taken(page, "mot"))
    with _Pending(tmp_path / "b.html", "utf-8", Tree(), store) as fh:
        fh.write(_Taken(page, "hai"))
        fh.write("<p>thêm</p>")
    data = page.encode("utf-8")
    assert store.noted == {"mot": (len(data), outputtree.digest(data))}
    assert (tmp_path / "b.html").read_text(encoding="utf-8") == page + "<p>thêm</p>"
