"""A sharded index (threshold lowered in a test setting) ranks exactly like the single index,
and shows the same entries and excerpts, with one file per result passage or with store and
passage chunks (larger sites); ranking rules that need a larger site than the seeds (tone
marks, years in numbers)."""

import json
import re
import threading

import pytest
from selenium.webdriver.common.by import By

from bench.corpus import generate
from conftest import ROOT, build, make_project
from test_search import TAM_DUONG_PLAN, paths, search, wait_results

pytestmark = pytest.mark.browser

SETTINGS = """import os, sys
sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403
CCHC_SEARCH = {cchc_search}
"""
SHARDED = {"SHARD_THRESHOLD": 20, "SHARD_TARGET_BYTES": 4000, "RESULT_FILES": True}  # a file per result passage
CHUNKED = {"SHARD_THRESHOLD": 20, "SHARD_TARGET_BYTES": 4000, "DOC_CHUNK_SIZE": 4}
SINGLE = {"SHARD_THRESHOLD": 10**9}
LAYOUTS = (("sharded", SHARDED), ("chunked", CHUNKED), ("single", SINGLE))
XSS_POST = """---
type: tin-tuc
title: "<script>window.__xss = 1</script> Cải cách <b>rất</b> đặc biệt"
slug: tieu-de-co-the-script
date: 01/02/2022 08:00
summary: "Tóm tắt có <img src=x onerror=\\"window.__xss = 2\\"> đặc biệt."
locality: Huyện Tam Dương
areas: [the-che]
---

Nội dung đặc biệt.
"""
# Tone marks: "đá" once here; "đã" is in hundreds of generated posts.
STONE_POST = """---
type: tin-tuc
title: "Sửa đường đá cho người dân xã miền núi"
slug: sua-duong-da
date: 01/03/2022 08:00
summary: "Xã hoàn thành con đường rải đá dài hai cây số."
locality: Huyện Tam Dương
areas: [the-che]
---

Con đường đá mới giúp người dân đi lại thuận tiện.
"""
# Headings with anchors: a match under one links to it (sub-results, at most 3 per post).
HEADINGS_POST = """---
type: tin-tuc
title: "Hội nghị tổng kết công tác năm"
slug: hoi-nghi-tong-ket
date: 03/03/2022 08:00
summary: "Tóm tắt hội nghị."
locality: Huyện Tam Dương
areas: [the-che]
---

Mở đầu hội nghị.

## Kết quả đạt được {#ket-qua}

Năm qua huyện kiên cố hóa kênh mương cho toàn bộ các xã.

## Nhiệm vụ năm tới {#nhiem-vu}

Tiếp tục xây cầu treo và mở rộng bộ phận tiếp nhận.
"""
# Numbers with a year segment: "2018" must not bring their pages.
YEAR_POST = """---
type: tin-tuc
title: "Triển khai các văn bản về một cửa"
slug: trien-khai-van-ban-mot-cua
date: 02/03/2022 08:00
summary: "Thực hiện Nghị định số 61/2018/NĐ-CP và Quyết định số 45/2018/QĐ-TTg."
locality: Huyện Tam Dương
areas: [thu-tuc-hanh-chinh]
---

Các cơ quan thực hiện Nghị định số 61/2018/NĐ-CP về cơ chế một cửa.
"""
QUERIES = ["cai cach hanh chinh", "dao duc", "tay ho", "179/KH-UBND", "14460/qd-ubnd", "ngày",
           "chính quyền điện tử", "dac biet", "nguoi dan doanh nghiep", "mot cua lien thong",
           "chỉ số hài lòng", "xyzzy", "SIPAS", "179", "179/KH", "đá", "bóng đá", "2018",
           "cải cách xyzzy", "cai cahc hanh chin", '"mot cua" lien thong', "của", "so dien thoai"]


def _serve(path):
    from cchc.cli.serve import make_server

    httpd = make_server(path, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="session")
def twin_sites(tmp_path_factory):
    """Seeds + 80 synthetic posts + a hostile title, built in each layout."""
    proj = make_project(tmp_path_factory.mktemp("shards"), ROOT / "content")
    generate(80, proj / "content")
    for slug, text in (("tieu-de-co-the-script", XSS_POST), ("sua-duong-da", STONE_POST),
                       ("trien-khai-van-ban-mot-cua", YEAR_POST), ("hoi-nghi-tong-ket", HEADINGS_POST)):
        (proj / "content" / "tin-tuc" / f"{slug}.md").write_text(text, encoding="utf-8")
    outputs = {}
    for name, conf in LAYOUTS:
        (proj / f"{name}conf.py").write_text(SETTINGS.format(cchc_search=repr(conf)), encoding="utf-8")
        proc = build(proj, "--settings", f"{name}conf.py", "--output", f"output-{name}")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        outputs[name] = proj / f"output-{name}"
    servers = {name: _serve(path) for name, path in outputs.items()}
    yield {name: (outputs[name], servers[name][1]) for name in outputs}
    for httpd, _url in servers.values():
        httpd.shutdown()


def _count(status):
    return int(re.search(r"\d+", status).group())


def _manifest(output):
    return json.loads((output / "tim-kiem" / "du-lieu" / "manifest.json").read_text(encoding="utf-8"))


def _engine(browser, server, query, shown=False):
    """The search page's engine on *query*: the ranked results, or (*shown*) the entries and
    excerpts of the first results page."""
    browser.get(f"{server}/tim-kiem/")
    browser.find_element(By.ID, "search-status")
    return browser.execute_async_script(
        "var query = arguments[0], shown = arguments[1], done = arguments[2];"
        " var wait = function () {"
        " if (!window.cchcSearch) return setTimeout(wait, 20);"
        " var e = window.cchcSearch.engine;"
        " e.search(query).then(function (r) { return shown ? e.docs(r.results.slice(0, 10))"
        " : {relaxed: r.relaxed, full: r.full, corrected: r.corrected, results: r.results}; }).then(done);"
        " }; wait();",
        query, shown)


def _ranked(browser, server, query):
    return _engine(browser, server, query)


def _shown(browser, server, query):
    """What the first results page shows: each result's entry, excerpt passage and text."""
    return _engine(browser, server, query, shown=True)


def test_large_site_is_sharded_small_site_is_not(twin_sites):
    output = twin_sites["sharded"][0]
    sharded = _manifest(output)
    assert sharded["mode"] == "sharded" and sharded["buckets"] > 5 and sharded["results"]
    data = output / "tim-kiem" / "du-lieu"
    assert len(list((data / "shards").glob("*.json"))) == sharded["buckets"]
    assert (data / "results").is_dir() and not (data / "docs").exists()
    chunked = _manifest(twin_sites["chunked"][0])
    assert chunked["mode"] == "sharded" and "results" not in chunked
    assert (twin_sites["chunked"][0] / "tim-kiem" / "du-lieu" / "docs").is_dir()
    assert _manifest(twin_sites["single"][0])["mode"] == "single"


@pytest.mark.parametrize("query", QUERIES)
def test_sharded_ranking_equals_single_index(browser, twin_sites, query):
    """Every result, in order, with the same score and ranking facts, whichever layout."""
    single = _ranked(browser, twin_sites["single"][1], query)
    for layout in ("sharded", "chunked"):
        assert _ranked(browser, twin_sites[layout][1], query) == single, layout
    if query not in ("xyzzy", "2018"):
        assert single["results"]
    # A misspelt word is corrected the same way (a sharded site fetches its vocab.json).
    assert (single["corrected"] == "cai cach hanh chinh") == (query == "cai cahc hanh chin")


@pytest.mark.parametrize("query", ["cai cach hanh chinh", "kênh mương cầu treo", "179/KH", "dao duc"])
def test_results_show_the_same_entries_and_excerpts_in_every_layout(browser, twin_sites, query):
    single = _shown(browser, twin_sites["single"][1], query)
    assert single and any(d["passage"] > 1 for d in single)  # some excerpts are deep passages
    for layout in ("sharded", "chunked"):
        assert _shown(browser, twin_sites[layout][1], query) == single, layout


def test_tone_marks_typed_rank_exact_words_first(browser, twin_sites):
    _output, server = twin_sites["sharded"]
    _s, hrefs = search(browser, server, "đá")
    assert hrefs[0].endswith("/tin-tuc/sua-duong-da/")
    ranked = _ranked(browser, server, "đá")["results"]
    assert ranked[0]["exact"] == 1 and all(r["exact"] == 0 for r in ranked[1:])
    # Typed without marks, "da" ranks by relevance alone: "đã" posts are not pushed down.
    plain = _ranked(browser, server, "da")["results"]
    assert len(plain) == len(ranked) and all(r["exact"] == 0 for r in plain)


def test_match_under_a_heading_links_to_it(browser, twin_sites):
    _output, server = twin_sites["sharded"]
    _s, hrefs = search(browser, server, "kênh mương")
    assert hrefs[0].endswith("/tin-tuc/hoi-nghi-tong-ket/#ket-qua")
    first = browser.find_element(By.CSS_SELECTOR, "#search-results > li")
    assert "kênh mương" in first.find_element(By.CSS_SELECTOR, ".c-result__excerpt").text
    # Words under two headings: the result links to one, the other is a sub-result.
    _s, hrefs = search(browser, server, "kênh mương cầu treo")
    assert hrefs[0].endswith("/tin-tuc/hoi-nghi-tong-ket/#ket-qua")
    first = browser.find_element(By.CSS_SELECTOR, "#search-results > li")
    subs = first.find_elements(By.CSS_SELECTOR, ".c-result__sections a")
    assert [(a.get_attribute("href").rsplit("/", 1)[-1], a.text) for a in subs] == [
        ("#nhiem-vu", "Nhiệm vụ năm tới")]


def test_year_does_not_bring_every_number_of_that_year(browser, twin_sites):
    output, server = twin_sites["sharded"]
    for slug in ("61-2018-nd-cp", "45-2018-qd-ttg"):
        assert (output / "van-ban" / slug / "index.html").is_file()
    _s, hrefs = search(browser, server, "2018")
    assert not [h for h in hrefs if "-2018-" in h]
    # The numbers themselves are found, with or without the year.
    for query in ("61/2018/NĐ-CP", "61/ND-CP", "61/NĐ"):
        _s, hrefs = search(browser, server, query)
        assert hrefs[0].endswith("/van-ban/61-2018-nd-cp/"), query


def test_query_fetches_only_its_shards(browser, twin_sites):
    output, server = twin_sites["sharded"]
    total = _manifest(output)["buckets"]
    search(browser, server, "dao duc")
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
        ".filter(function (n) { return n.indexOf('/du-lieu/shards/') >= 0; });")
    # The buckets of its two words and of the pair "dao duc" (what tells a phrase), no other.
    from cchc_search.cchc_search import bucket_of

    expected = {bucket_of(t, total) for t in ("dao", "duc", "dao duc")}
    assert {int(n.rsplit("/", 1)[1].split(".")[0]) for n in fetched} == expected
    assert len(expected) < total
    assert not any("facets.json" in n for n in browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"))


def test_sharded_site_answers_like_a_citizen_expects(browser, twin_sites):
    _output, server = twin_sites["sharded"]
    _s, hrefs = search(browser, server, "179 / kh - ubnd")
    assert paths(server, hrefs)[:2] == ["van-ban/179-kh-ubnd/", TAM_DUONG_PLAN]
    everything, _h = search(browser, server, "cai cach")
    status, plans = search(browser, server, "cai cach", type="ke-hoach")
    assert 0 < _count(status) < _count(everything)
    assert plans and all("/ke-hoach/" in h for h in plans)
    # Numbered pages of 10, kept in the URL; the back button returns to the first page.
    status, first_page = search(browser, server, "cai cach")
    assert len(first_page) == 10 < _count(status)
    browser.find_element(By.CSS_SELECTOR, "#search-pages a[data-page='3']").click()
    _s, third = wait_results(browser)
    assert "trang=3" in browser.current_url and len(third) == 10 and not set(third) & set(first_page)
    assert browser.switch_to.active_element.get_attribute("id") == "search-status"
    browser.back()
    _s, again = wait_results(browser)
    assert again == first_page


def test_hostile_title_renders_as_text(browser, twin_sites):
    _output, server = twin_sites["sharded"]
    _s, hrefs = search(browser, server, "dac biet")
    assert hrefs and hrefs[0].endswith("/tin-tuc/tieu-de-co-the-script/")
    first = browser.find_element(By.CSS_SELECTOR, "#search-results > li")
    assert "<script>window.__xss = 1</script>" in first.find_element(By.TAG_NAME, "h2").text
    assert "<img src=x" in first.text
    assert first.find_elements(By.CSS_SELECTOR, "script, img, b") == []
    assert browser.execute_script("return window.__xss === undefined")
