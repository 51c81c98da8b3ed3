"""Our fast lunr builder makes the very index lunr.py's own Builder makes."""

import json
import random
import unicodedata

from lunr.builder import Builder

from cchc_search import SearchDoc, build_lunr
from cchc_search.cchc_search import index_builder
from conftest import ROOT, SEEDS

# Text that stresses the tokenizer: every lunr separator (space, tab, newlines, form feed,
# vertical tab, NBSP, hyphen), runs of them, other Unicode spaces lunr does NOT split at,
# decomposed tone marks, "İ" (lowercases to two code points), punctuation-only tokens,
# document numbers and an empty field.
TRICKY = [
    "Kế hoạch 179/KH-UBND\u00a0ngày 01/02/2024 -- cải\tcách\n\nhành\r\nchính\f\vđạo-đức",
    "Cai cach  hanh chinh\u2003(em space)\u200bzero width\u3000ideographic İstanbul ĐẠO ĐỨC",
    "- - -  ... ?! «»  “Đảng” 16-NQ/TU, 24/2023/NĐ-CP; 03-CT/TW. Số 12/QĐ-UBND",
    unicodedata.normalize("NFD", "Cải cách hành chính cải cách HÀNH CHÍNH"),
    "",
]


def _corpus():
    """The site's own posts and the five legacy seed pages, cut into fields, plus TRICKY."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += TRICKY
    rng = random.Random(7)
    docs = []
    for n, text in enumerate(texts):
        words = text.split(" ")
        docs.append(SearchDoc(
            url=f"/p/{n}/", title=" ".join(words[:12]), kind="tin-tuc",
            locality=rng.choice(["", "Tây Hồ", "Vũng Tàu", "Bình Lục"]),
            areas=rng.sample(["the-che", "tthc", "bo-may", "cong-vu", "tai-chinh-cong", "chinh-phu-so"], 2),
            doc_number=rng.choice(["", "179/KH-UBND", "16-NQ/TU"]),
            summary=" ".join(words[12:60]), body=text))
    return docs


def test_index_is_identical_to_lunr_py_builder():
    docs = _corpus()
    assert len(docs) >= 14
    ours = build_lunr(docs)
    stock = build_lunr(docs, builder_class=Builder)
    assert len(stock["invertedIndex"]) > 500  # a real vocabulary, not an empty comparison
    # Same JSON text, so lunr.js loads the same index (key order included).
    assert json.dumps(ours, ensure_ascii=False) == json.dumps(stock, ensure_ascii=False)


def _js_order(term):
    return term.encode("utf-16-be")  # lunr.js compares strings by UTF-16 code units


def shards_from_serialised(serialised):
    """The reference: shard entries read off lunr.py's serialised index (field vectors and
    inverted index), the way the browser's rebuilt index must see them."""
    fields = serialised["fields"]
    weights = {}  # (field, ref) → {term index: weight}
    for field_ref, vector in serialised["fieldVectors"]:
        name, ref = field_ref.split("/", 1)
        weights[(name, ref)] = dict(zip(vector[::2], vector[1::2]))
    entries = []
    for term, posting in sorted(serialised["invertedIndex"], key=lambda tp: _js_order(tp[0])):
        index = posting["_index"]
        per_field = []
        for name in fields:
            flat, last = [], 0
            for ref in sorted(posting[name], key=int):
                flat += [int(ref) - last, round(weights[(name, ref)][index] * 1000)]
                last = int(ref)
            per_field.append(flat)
        entries.append([term, index, *per_field])
    return entries


def test_shards_are_the_postings_of_lunr_py_index():
    docs = _corpus()
    stock = build_lunr(docs, builder_class=Builder)
    builder = index_builder(docs)
    assert builder.shard_entries() == shards_from_serialised(stock)
    assert list(builder._fields) == stock["fields"]
    assert builder.search_pipeline.serialize() == stock["pipeline"] == ["cchcFold"]


HTML_CASES = [
    "<p>a<!-- bình luận --> b</p>",
    "<script>var x = 1</script><p>x &amp; y&nbsp;z</p>",
    "<style>p{}</style>t",
    "<p>q<template>tt<b>x</b></template>r</p>",
    "<p>Cải</p>\n<p>cách<br>hành <a href='/x'>chính</a></p>",
    "<div><p>a<b>b</b>c</p></div>",
    "<p>&lt;script&gt; 179/KH-UBND</p>",
    "<p>a<script>x</script><script>y</script>b</p>",
    "   ",
    "",
]


def test_body_text_is_what_beautifulsoup_reads():
    """html_to_text uses lxml for speed; it must read the same text BeautifulSoup does."""
    import re

    from bs4 import BeautifulSoup
    from markdown import markdown

    from cchc_search.cchc_search import html_to_text

    pages = HTML_CASES + [markdown(p.read_text(encoding="utf-8").split("---", 2)[-1])
                          for p in sorted((ROOT / "content").rglob("*.md"))]
    for html in pages:
        expected = re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).strip()
        assert html_to_text(html) == expected, html
