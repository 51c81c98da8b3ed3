"""The page cache (cchc_pagecache): a rebuild that takes pages from it writes exactly what a cold
build writes, after an edit of each kind, and renders again only the pages that edit touches."""

import shutil
import sqlite3

from conftest import ROOT, build, files_of, make_project, publish_build

COLD = """import os, sys
sys.path.append(os.curdir)
from pelicanconf import *  # noqa
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
CCHC_PAGECACHE = {"PATH": ""}
CCHC_SEARCH = {"CACHE": ""}
CCHC_DOCUMENTS = {"CACHE": ""}  # nor what the registry read from a post
"""
PLAN = "content/ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025.md"
NEWS = "content/tin-tuc/cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep.md"
# A legal basis repealed on 01/07/2026 (content/van-ban/42-2022-nd-cp.md): the plan's page says
# "Còn hiệu lực" before that day and "Hết hiệu lực" after.
BASIS = """legal_bases:
  - number: 42/2022/NĐ-CP
    doc_type: Nghị định
    issuer: Chính phủ
    date: 09/06/2022
    title: "quy định về việc cung cấp thông tin và dịch vụ công trực tuyến"
"""


def _project(tmp_path):
    proj = make_project(tmp_path, ROOT / "content")
    (proj / "theme").unlink()
    shutil.copytree(ROOT / "theme", proj / "theme")  # a copy: one test edits a template
    (proj / "cold.py").write_text(COLD, encoding="utf-8")
    return proj


def _keys(proj):
    """The pages kept (not the sums of their bytes kept beside them, "=" and the page's key)."""
    with sqlite3.connect(proj / ".cache" / "pages.sqlite") as db:
        return {key for (key,) in db.execute("SELECT key FROM row") if not key.startswith("=")}


def _record_keys(proj):
    """The search records kept (cchc_search.RecordCache): digests of the records they were made from."""
    with sqlite3.connect(proj / ".cache" / "search-records") as db:
        return {key for (key,) in db.execute("SELECT key FROM row") if len(key) == 16}  # not the blocks


def _text_keys(proj):
    """What cchc_documents.TextCache keeps: a post body's text (b"l…"), its mentions (b"m…") and
    where its links to document pages go (b"k…")."""
    with sqlite3.connect(proj / ".cache" / "documents.sqlite") as db:
        return {key for (key,) in db.execute("SELECT key FROM row")}


def _build(proj, settings="pelicanconf.py", env=None):
    proc = build(proj, "--settings", settings, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return files_of(proj / "output")


def _cached_and_cold(proj, env=None):
    return _build(proj, env=env), _build(proj, "cold.py", env=env)


def _edit(proj, rel, old, new):
    path = proj / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _text(files):
    return {rel: data.decode("utf-8", "replace") for rel, data in files.items() if rel.endswith(".html")}


def test_a_body_edit_renders_that_post_again_and_nothing_else(tmp_path):
    proj = _project(tmp_path)
    _build(proj)
    before, records, texts = _keys(proj), _record_keys(proj), _text_keys(proj)
    assert len(before) > 40, "the first build keeps the post pages and the lists"
    _edit(proj, NEWS, "\n---\n\n", "\n---\n\nĐoạn mở đầu mới, dẫn Nghị định số 42/2022/NĐ-CP.\n\n")
    cached, cold = _cached_and_cold(proj)
    assert any("Đoạn mở đầu mới" in text for text in _text(cached).values())
    assert cached == cold
    # Rendered again: the edited post's page and the pages of the documents it cites or mentions
    # (they quote it) or that relate to those; the lists, the other posts and most document pages
    # came from the cache.
    again = len(_keys(proj) - before)
    assert 2 <= again <= 1 + _document_pages(cached) // 2, again
    # And two search records made again, in another process than the first build's: the post's
    # and the page of the document it now mentions (which quotes it).
    assert len(_record_keys(proj) - records) == 2
    # And the registry read the edited post's text again, not the others': its plain text, its
    # mentions of document numbers and where its body links to them (the number it now names has
    # a page already) are the only new entries of the documents' cache.
    assert sorted(key[:1] for key in _text_keys(proj) - texts) == [b"k", b"l", b"m"]


def _document_pages(files):
    return sum(1 for rel in files if rel.startswith("van-ban/") and rel.count("/") == 2 and rel.endswith("/index.html"))


def test_an_edited_quote_reaches_the_document_page(tmp_path):
    """A document's page quotes the sentence of each post that mentions its number: the page
    comes from the cache (cchc_documents' page_digest) until one of those posts changes."""
    proj = _project(tmp_path)
    first = _build(proj)
    before = _keys(proj)
    post = "content/tin-tuc/cai-cach-hanh-chinh-tiep-tuc-huong-toi-nguoi-dan-va-doanh-nghiep.md"
    _edit(proj, post, "theo tinh thần Nghị quyết số 04/NQ-CP", "theo đúng tinh thần Nghị quyết số 04/NQ-CP")
    cached, cold = _cached_and_cold(proj)
    quoting = [rel for rel, text in _text(cached).items() if rel.startswith("van-ban/") and "theo đúng tinh thần" in text]
    assert quoting and all("theo đúng tinh thần" not in _text(first)[rel] for rel in quoting), quoting
    assert cached == cold
    again = len(_keys(proj) - before)
    assert 2 <= again <= 1 + _document_pages(cached) // 2, again


def test_a_front_matter_edit_reaches_every_list(tmp_path):
    proj = _project(tmp_path)
    _build(proj)
    _edit(proj, PLAN, 'title: "', 'title: "Tiêu đề mới: ')  # the plan has a slug: its address stays
    cached, cold = _cached_and_cold(proj)
    shown = [rel for rel, text in _text(cached).items() if "Tiêu đề mới: " in text]
    assert "index.html" in shown and len(shown) > 5, shown
    assert cached == cold


def test_a_template_edit_is_not_served_from_the_cache(tmp_path):
    proj = _project(tmp_path)
    _build(proj)
    _edit(proj, "theme/templates/macros.html", '<li class="c-card">', '<li class="c-card c-card--moi">')
    cached, cold = _cached_and_cold(proj)
    assert 'c-card--moi' in _text(cached)["index.html"]
    assert cached == cold


def test_a_settings_edit_is_not_served_from_the_cache(tmp_path):
    proj = _project(tmp_path)
    _build(proj)
    with open(proj / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write('\nSITENAME = "Cổng thông tin đã đổi tên"\n')
    cached, cold = _cached_and_cold(proj)
    assert "Cổng thông tin đã đổi tên" in _text(cached)["index.html"]
    assert cached == cold


def test_the_day_of_the_build_is_part_of_what_a_page_shows(tmp_path):
    """A plan's legal basis is in force on one day and repealed the next: its page must say so
    the first time it is built after that day, not what the cache kept."""
    proj = _project(tmp_path)
    _edit(proj, PLAN, "legal_bases:\n", BASIS)
    before = _build(proj, env={"CCHC_NOW": "2026-06-15T12:00:00+07:00"})
    cached, cold = _cached_and_cold(proj, env={"CCHC_NOW": "2026-07-15T12:00:00+07:00"})
    page = "ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025/index.html"
    assert _text(before)[page] != _text(cached)[page]
    assert cached == cold


def test_an_index_value_edit_reaches_the_units_list(tmp_path):
    """content/chi-so/ holds no post, yet a unit's list shows its PAR Index: every file of content/
    outside the attachments is part of the site key."""
    proj = _project(tmp_path)
    (proj / "content" / "chi-so").mkdir()
    for source in (ROOT / "tests" / "fixtures" / "results" / "chi-so").glob("*.yaml"):
        shutil.copy(source, proj / "content" / "chi-so" / source.name)
    _build(proj)
    _edit(proj, "content/chi-so/par-index-2024.yaml", 'score: "85,2"', 'score: "86,1"')
    cached, cold = _cached_and_cold(proj)
    assert "86,1%" in _text(cached)["dia-phuong/quan-tay-ho/index.html"]
    assert cached == cold


def test_a_rebuild_links_what_the_live_site_holds_and_changes_none_of_it(tmp_path):
    """cchc.core.outputtree: a file the live output/ holds byte for byte is hard-linked into the
    new tree (the build's record of output/ vouches for its bytes), and while the new tree is
    written no file of the live one changes."""
    proj = _project(tmp_path)
    _build(proj)
    _edit(proj, NEWS, "\n---\n\n", "\n---\n\nĐoạn thứ nhất.\n\n")
    live = _build(proj)  # the second build records output/ (the first had nothing to compare)
    _edit(proj, NEWS, "Đoạn thứ nhất.", "Đoạn thứ hai.")
    new = _build(proj)
    (replaced,) = proj.glob(".output.old-*")  # the live tree, put aside by the swap
    assert files_of(replaced) == live
    output = proj / "output"
    shared = {rel for rel in new if (output / rel).stat().st_nlink > 1}
    changed = {rel for rel in new if live.get(rel) != new[rel]}
    assert changed and not changed & shared
    assert len(shared) > len(new) * 3 // 4, (len(shared), len(new))
    assert new == _build(proj, "cold.py")


def _sums(proj):
    """The sums kept beside the pages: {page key: "size digest"}."""
    with sqlite3.connect(proj / ".cache" / "pages.sqlite") as db:
        return {key[1:]: data.decode() for key, data in db.execute("SELECT key, data FROM row")
                if key.startswith("=")}


def _spoil(proj, keys, column, value):
    with sqlite3.connect(proj / ".cache" / "pages.sqlite") as db:
        db.executemany(f"UPDATE row SET {column} = ? WHERE key = ?", [(value, key) for key in keys])


def test_a_page_known_by_its_sum_is_linked_from_the_live_tree_without_reading_it(tmp_path):
    """A page the store gave whole has the size and digest of its bytes noted beside it; the next
    build, when the output's record vouches that the live file at its place has those bytes,
    links it without reading the page (so a page spoiled in the store changes nothing), and
    reads the page when the sum does not match the live file."""
    import zlib

    proj = _project(tmp_path)
    _build(proj)
    _edit(proj, NEWS, "\n---\n\n", "\n---\n\nĐoạn thứ nhất.\n\n")
    _build(proj)  # pages taken whole from the store: their sums noted
    sums = _sums(proj)
    assert len(sums) > len(_keys(proj)) // 2, (len(sums), len(_keys(proj)))
    with sqlite3.connect(proj / ".cache" / "pages.sqlite") as db:
        pages = dict(db.execute("SELECT key, data FROM row"))
    _spoil(proj, sums, "data", zlib.compress("<p>HỎNG</p>".encode()))  # the pages, not their sums
    _edit(proj, NEWS, "Đoạn thứ nhất.", "Đoạn thứ hai.")
    new = _build(proj)
    assert not [rel for rel, text in _text(new).items() if "HỎNG" in text]
    output = proj / "output"
    assert sum((output / rel).stat().st_nlink > 1 for rel in _text(new)) >= len(sums)
    assert new == _build(proj, "cold.py")
    # Sums that match no live file: the pages are read. The live tree of other settings (a site
    # name of as many bytes: same sizes, other bytes), then a build of the first settings.
    with sqlite3.connect(proj / ".cache" / "pages.sqlite") as db:
        db.executemany("UPDATE row SET data = ? WHERE key = ?", [(pages[key], key) for key in sums])
    (proj / "other.py").write_text("import os, sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *  # noqa\n"
                                   "SITENAME = SITENAME.replace('Cổng', 'Cửa ')\n", encoding="utf-8")
    other = _build(proj, "other.py")
    again = _build(proj)
    assert again == _build(proj, "cold.py") != other
    same_size = [rel for rel in _text(again) if again[rel] != other.get(rel, b"") and len(again[rel]) == len(other[rel])]
    assert same_size  # where only the digest tells the pages apart


SITEURL = "https://cchc.example.gov.vn"


def test_a_publish_rebuild_links_the_pages_the_live_site_holds(tmp_path):
    """A production build names the theme's files after their content (cchc_assets); the pages
    are rendered with those names (planned before any page is written), so a publish rebuild
    links from the live output/ every page an edit did not touch, as a development rebuild does,
    instead of writing each and rewriting its references. After a development build in output/
    (no such names) and after an edit, the tree is the one a cold production build writes."""
    import zlib

    proj = _project(tmp_path)
    (proj / "coldpub.py").write_text(COLD.replace("from pelicanconf import", "from publishconf import"),
                                     encoding="utf-8")

    def publish(settings="publishconf.py"):
        proc = publish_build(proj, SITEURL, settings=settings)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "planned as" not in proc.stderr  # the plan held: no page needed another name
        return files_of(proj / "output")

    _build(proj)  # development: the live tree has the plain names
    assert publish() == publish("coldpub.py")
    _edit(proj, NEWS, "\n---\n\n", "\n---\n\nĐoạn thứ nhất.\n\n")
    live = publish()
    publish()  # the pages taken whole from the store: their sums noted
    # Pages known by their sums are linked without being read: spoiled in the store, never seen.
    _spoil(proj, _sums(proj), "data", zlib.compress("<p>HỎNG</p>".encode()))
    _edit(proj, NEWS, "Đoạn thứ nhất.", "Đoạn thứ hai.")
    new = publish()
    assert not [rel for rel, text in _text(new).items() if "HỎNG" in text]
    output = proj / "output"
    pages = _text(new)
    shared = {rel for rel in pages if (output / rel).stat().st_nlink > 1}
    changed = {rel for rel in pages if live.get(rel) != new[rel]}
    assert changed and not changed & shared
    assert len(shared) > len(pages) * 3 // 4, (len(shared), len(pages))
    assert new == publish("coldpub.py")
