"""A sharded index (threshold lowered in a test setting) ranks exactly like the single index."""

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
SHARDED = {"SHARD_THRESHOLD": 20, "SHARD_TARGET_BYTES": 4000, "DOC_CHUNK_SIZE": 4}
SINGLE = {"SHARD_THRESHOLD": 10**9}
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
QUERIES = ["cai cach hanh chinh", "dao duc", "tay ho", "179/KH-UBND", "14460/qd-ubnd", "ngày",
           "chính quyền điện tử", "dac biet", "nguoi dan doanh nghiep", "mot cua lien thong",
           "chỉ số hài lòng", "xyzzy", "SIPAS"]


def _serve(path):
    from cchc_cli.serve import make_server

    httpd = make_server(path, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="session")
def twin_sites(tmp_path_factory):
    """Seeds + 80 synthetic posts + a hostile title, built sharded and single."""
    proj = make_project(tmp_path_factory.mktemp("shards"), ROOT / "content")
    generate(80, proj / "content")
    (proj / "content" / "tin-tuc" / "tieu-de-co-the-script.md").write_text(XSS_POST, encoding="utf-8")
    outputs = {}
    for name, conf in (("sharded", SHARDED), ("single", SINGLE)):
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


def _ranked(browser, server, query):
    browser.get(f"{server}/tim-kiem/")
    browser.find_element(By.ID, "search-status")
    return browser.execute_async_script(
        "var done = arguments[1]; var wait = function () {"
        " if (!window.cchcSearch) return setTimeout(wait, 20);"
        " window.cchcSearch.engine.search(arguments[0]).then(function (r) {"
        " done({relaxed: r.relaxed, results: r.results}); }); }.bind(null, arguments[0]); wait();",
        query)


def test_large_site_is_sharded_small_site_is_not(twin_sites):
    sharded = _manifest(twin_sites["sharded"][0])
    assert sharded["mode"] == "sharded" and len(sharded["shards"]) > 5
    assert sharded["shards"] == sorted(sharded["shards"])
    assert _manifest(twin_sites["single"][0])["mode"] == "single"


def _assert_ranked_like(sharded, single, exact):
    """The first *exact* results identical; all of them the same documents with the same scores."""
    assert sharded[:exact] == single[:exact]
    assert {r["ref"] for r in sharded} == {r["ref"] for r in single}
    for mine, theirs in zip(sharded, single):
        assert mine["score"] == pytest.approx(theirs["score"], rel=1e-9)


@pytest.mark.parametrize("query", QUERIES)
def test_sharded_ranking_equals_single_index(browser, twin_sites, query):
    """The first results page (20, ranked by lunr itself) is exactly the single index's; the rest
    are the same documents with the same scores (to float rounding)."""
    sharded = _ranked(browser, twin_sites["sharded"][1], query)
    single = _ranked(browser, twin_sites["single"][1], query)
    assert sharded["relaxed"] == single["relaxed"]
    _assert_ranked_like(sharded["results"], single["results"], exact=20)
    if query != "xyzzy":
        assert sharded["results"]


def test_preselection_keeps_lunr_ranking_at_the_top(browser, twin_sites):
    """With only 5 results ranked by lunr itself, the order still matches the single index."""
    single = _ranked(browser, twin_sites["single"][1], "cai cach hanh chinh")["results"]
    browser.get(f"{twin_sites['sharded'][1]}/tim-kiem/")
    sharded = browser.execute_async_script(
        "var done = arguments[0]; var e = window.cchcSearch.engine; e.rerank = 5;"
        " e.search('cai cach hanh chinh').then(function (r) { done(r.results); });")
    assert len(sharded) == len(single) > 20
    _assert_ranked_like(sharded, single, exact=5)


def test_query_fetches_only_its_shards(browser, twin_sites):
    output, server = twin_sites["sharded"]
    total = len(_manifest(output)["shards"])
    search(browser, server, "dao duc")
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
        ".filter(function (n) { return n.indexOf('/du-lieu/shards/') >= 0; });")
    assert 1 <= len(fetched) <= 2 < total
    assert not any("facets.json" in n for n in browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"))


def test_sharded_site_answers_like_a_citizen_expects(browser, twin_sites):
    _output, server = twin_sites["sharded"]
    _s, hrefs = search(browser, server, "179 / kh - ubnd")
    assert paths(server, hrefs)[0] == TAM_DUONG_PLAN
    everything, _h = search(browser, server, "cai cach")
    status, plans = search(browser, server, "cai cach", type="ke-hoach")
    assert 0 < _count(status) < _count(everything)
    assert plans and all("/ke-hoach/" in h for h in plans)
    # More results load on demand, and keyboard focus moves to the first new one.
    status, first_page = search(browser, server, "cai cach")
    assert len(first_page) == 20 < _count(status)
    browser.find_element(By.ID, "search-more").click()
    _s, more = wait_results(browser)
    assert len(more) == min(40, _count(status)) and more[:20] == first_page
    assert browser.switch_to.active_element.get_attribute("href") == more[20]


def test_hostile_title_renders_as_text(browser, twin_sites):
    _output, server = twin_sites["sharded"]
    _s, hrefs = search(browser, server, "dac biet")
    assert hrefs and hrefs[0].endswith("/tin-tuc/tieu-de-co-the-script/")
    first = browser.find_element(By.CSS_SELECTOR, "#search-results > li")
    assert "<script>window.__xss = 1</script>" in first.find_element(By.TAG_NAME, "h2").text
    assert "<img src=x" in first.text
    assert first.find_elements(By.CSS_SELECTOR, "script, img, b") == []
    assert browser.execute_script("return window.__xss === undefined")
