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
            units=["", "Huyện Tam Dương Tỉnh Vĩnh Phúc Xã Tam Dương Tỉnh Phú Thọ"][n % 2],
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


def weights_from_serialised(serialised):
    """The reference: per term, {ref: Σ over fields of round(weight × 1000)} read off lunr.py's
    serialised index (its field vectors and inverted index): what lunr.js would add up."""
    weights = {}  # (field, ref) → {term index: weight}
    for field_ref, vector in serialised["fieldVectors"]:
        name, ref = field_ref.split("/", 1)
        weights[(name, ref)] = dict(zip(vector[::2], vector[1::2]))
    out = {}
    for term, posting in serialised["invertedIndex"]:
        index = posting["_index"]
        per = out[term] = {}
        for name in serialised["fields"]:
            for ref in posting[name]:
                per[int(ref)] = per.get(int(ref), 0) + round(weights[(name, ref)][index] * 1000)
    return out


def test_index_weights_are_lunr_py_weights_summed_over_fields():
    docs = _corpus()
    stock = build_lunr(docs, builder_class=Builder)
    builder = index_builder(docs)
    assert builder.term_weights() == weights_from_serialised(stock)
    assert list(builder._fields) == stock["fields"]
    assert builder.search_pipeline.serialize() == stock["pipeline"] == ["cchcFold"]


def test_thousandths_are_lunr_weights_rounded_to_3_decimals_times_1000():
    """term_weights' fast rounding gives what round(round(w, 3) * 1000) gives: everywhere, and at
    the ties (k + 0.5 thousandths and the floats either side of them), where w × 1000 in floats
    alone is wrong about one time in six."""
    import math

    from cchc_search.cchc_search import thousandths

    rng = random.Random(7)
    scores = [rng.random() * scale for scale in (1, 10, 100, 1000) for _ in range(20000)]
    for k in range(0, 200000, 7):
        tie = (k + 0.5) / 1000
        scores += [tie, math.nextafter(tie, 0), math.nextafter(tie, math.inf)]
    scores += [0.0, 1e-9, 0.0005, 0.0015, 2.5e-3, 123456.7895]
    wrong = [s for s in scores if thousandths(s) != round(round(s, 3) * 1000)]
    assert not wrong, wrong[:5]


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

    from cchc.core.htmltext import blocks as html_blocks
    from cchc.core.htmltext import text as html_to_text

    pages = HTML_CASES + [markdown(p.read_text(encoding="utf-8").split("---", 2)[-1])
                          for p in sorted((ROOT / "content").rglob("*.md"))]
    for html in pages:
        expected = re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).strip()
        assert html_to_text(html) == expected, html
        # The blocks that passages are cut from hold the same words.
        assert " ".join(b[0] for b in html_blocks(html)).split() == expected.split(), html


def test_passage_terms_first_passage_after_title_and_every_spelling():
    from cchc_search.cchc_search import _passage_terms, number_tokens, parse_doc_number

    passages = [("Đá bóng ở xã, 179/KH-UBND", None), ("người dân đã đến", None), ("bóng đá và đà", None),
                ("theo Kế hoạch 179/KH-UBND", None), ("đá", None)]
    where = _passage_terms(passages)
    assert (where["bong"][0], set(where["bong"][1])) == (2, {"bóng"})  # in the title and passage 2: passage 2
    assert (where["xa"][0], set(where["xa"][1])) == (0, {"xã"})  # only in the title
    assert where["da"][0] == 1  # "đã" in passage 1 before "đá" in 2
    assert set(where["da"][1]) == {"đá", "đã", "đà"}  # every spelling the document uses
    for token in number_tokens(parse_doc_number("179/KH-UBND")):
        assert where[token][0] == 3, token  # cited in the title, then in passage 3


def _post(url, locality, written_day, unit_written):
    """A read post as cchc_content leaves it (locality resolved to a unit as of its date)."""
    import datetime as dt
    from types import SimpleNamespace

    from cchc.core import units

    reg = units.registry()
    day = dt.datetime.strptime(written_day, "%d/%m/%Y")
    return SimpleNamespace(url=url, title="Kế hoạch cải cách hành chính", kind="ke-hoach", date=day,
                           locality=locality, locality_unit=reg.resolve(unit_written, day.date()).unit.uid,
                           areas=["the-che"], doc_number="", summary_text="", _content="<p>Nội dung.</p>")


def test_old_and_new_names_of_a_posts_unit_find_it_and_the_filter_keeps_it_under_todays_units():
    """Vĩnh Phúc merged into Phú Thọ on 01/07/2025: "phu tho" finds the 2021 plan of Huyện Tam
    Dương, and "vinh phuc" a 2026 post of Xã Tam Dương; the locality filter (units' page slugs)
    keeps the old post under today's province and communes and under its own old unit."""
    from cchc_search.cchc_search import _facets, doc_from_article

    docs = [doc_from_article(_post("/old/", "Huyện Tam Dương", "25/11/2021", "Huyện Tam Dương")),
            doc_from_article(_post("/new/", "Xã Tam Dương", "05/01/2026", "Xã Tam Dương")),
            doc_from_article(_post("/other/", "Quận Tây Hồ", "02/07/2021", "Quận Tây Hồ"))]
    weights = index_builder(docs).term_weights()
    for query, found in (("phu tho", {0, 1}), ("vinh phuc", {0, 1}), ("huyen tam duong", {0, 1}),
                         ("ha noi", {2}), ("phuong tay ho", {2})):
        refs = set.intersection(*(set(weights.get(term, {})) for term in query.split()))
        assert refs == found, query
    facets = _facets(docs)
    under = {slug: {ref for ref, places in enumerate(facets["l"]) if facets["localities"].index(slug) in places}
             for slug in facets["localities"]}
    assert under["phu-tho"] == {0, 1} and under["phu-tho/tam-duong"] == {0, 1}
    assert under["huyen-tam-duong"] == {0} and under["tinh-vinh-phuc"] == {0}
    assert under["ha-noi/tay-ho"] == {2} and under["quan-tay-ho"] == {2}


def test_one_reading_of_a_body_for_search_and_document_pages():
    """The search index's blocks and the document pages' plain text (cchc_documents.body_text,
    the excerpts on /van-ban/ and open data's body_text) are one walk (cchc.core.htmltext): the
    same lines, cut at the same block elements; the pages keep inline markup joined as written."""
    from types import SimpleNamespace

    from cchc.core import htmltext
    from cchc_documents.cchc_documents import body_text

    html = ("<h2 id='muc-1'>Mục <em>một</em></h2><p>Kế hoạch số 179/KH-UBND<br>ngày 01/02/2023</p>"
            "<ul><li>cải<strong>cách</strong><ul><li>lồng</li></ul>sau</li></ul><script>x()</script>")
    art = SimpleNamespace(_content=html)
    assert body_text(art) == "Mục một\nKế hoạch số 179/KH-UBND\nngày 01/02/2023\ncảicách\nlồng\nsau"
    assert [b[0] for b in htmltext.blocks(html)] == ["Mục một", "Kế hoạch số 179/KH-UBND", "ngày 01/02/2023",
                                                     "cải cách", "lồng", "sau"]
    assert htmltext.blocks(html)[0][1:] == ("muc-1", True)


def _index_files(docs, folder, cache=None, **conf):
    from cchc_search.cchc_search import DEFAULTS, write_index

    write_index(docs, folder, {**DEFAULTS, **conf}, cache=cache)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_records_from_the_cache_give_the_same_index_and_only_an_edited_one_is_computed(tmp_path):
    """cchc_search.RecordCache: what each record gives the index, kept by the record's digest."""
    from dataclasses import replace

    from cchc_search.cchc_search import RecordCache

    docs = _corpus()
    path = tmp_path / "records"
    for sharded in (True, False):
        conf = {"SHARD_THRESHOLD": 2 if sharded else 10_000, "RESULT_FILES": sharded}
        path.unlink(missing_ok=True)
        plain = _index_files(docs, tmp_path / f"plain-{sharded}", **conf)
        first = RecordCache(path, "code")
        assert _index_files(docs, tmp_path / f"cold-{sharded}", first, **conf) == plain
        assert first.computed == len(docs)
        first.save()
        edited = list(docs)
        edited[3] = replace(docs[3], body=docs[3].body + " Đoạn thêm về một cửa liên thông.")
        warm = RecordCache(path, "code")
        from_cache = _index_files(edited, tmp_path / f"warm-{sharded}", warm, **conf)
        assert warm.computed == 1  # the edited record only
        assert from_cache == _index_files(edited, tmp_path / f"edited-{sharded}", **conf)
        assert from_cache != plain
    changed = RecordCache(path, "other code")  # code or settings changed: nothing is reused
    _index_files(docs, tmp_path / "changed", changed)
    assert changed.computed == len(docs)


def test_record_cache_keeps_what_was_used_and_three_codes(tmp_path):
    """The SQLite file of RecordCache: a rebuild after an edit writes the edited record and
    drops the one it replaced; records of the three most recent codes (html, publish, studio
    settings) stay; the marshal file of an earlier version is started afresh, not misread."""
    import marshal
    import sqlite3
    from dataclasses import replace

    from cchc_search.cchc_search import RecordCache

    def rows(path):
        with sqlite3.connect(path) as db:
            return {(code.split("/")[0], key) for code, key in db.execute("SELECT generation, key FROM row")}

    docs = _corpus()
    path = tmp_path / "records"
    path.write_bytes(marshal.dumps(("code", {})))  # the format before 07/12/2026
    first = RecordCache(path, "a")
    _index_files(docs, tmp_path / "a", first)
    assert first.computed == len(docs)
    first.save()
    kept = rows(path)
    assert len(kept) == len(docs)
    edited = list(docs)
    edited[0] = replace(docs[0], body=docs[0].body + " Thêm một câu.")
    again = RecordCache(path, "a")
    _index_files(edited, tmp_path / "a2", again)
    assert again.computed == 1
    again.save()
    after = rows(path)
    assert len(after) == len(docs) and len(after - kept) == 1 and len(kept - after) == 1
    for n, code in enumerate(("b", "c", "d")):
        other = RecordCache(path, code)
        _index_files(docs, tmp_path / f"o{n}", other)
        other.save()
    assert {code for code, _key in rows(path)} == {"b", "c", "d"}  # "a" was the oldest of four
    assert RecordCache(path, "d").known.keys() == {key for code, key in rows(path) if code == "d"}


def test_record_cache_keeps_the_blocks_of_each_body(tmp_path):
    """RecordCache.blocks: htmltext.blocks of a body, computed once per distinct HTML and kept."""
    from cchc.core import htmltext
    from cchc_search.cchc_search import RecordCache

    bodies = ["<h2 id='a'>Mục một</h2><p>Cải cách <b>hành chính</b>.</p>", "<p>Một cửa liên thông.</p>"]
    first = RecordCache(tmp_path / "records", "code")
    assert [first.blocks(b) for b in bodies] == [htmltext.blocks(b) for b in bodies]
    assert first.blocks_computed == 2
    first.save()
    again = RecordCache(tmp_path / "records", "code")
    edited = [bodies[0], bodies[1].replace("Một", "Hai")]
    assert [again.blocks(b) for b in edited] == [htmltext.blocks(b) for b in edited]
    assert again.blocks_computed == 1  # the edited body only


def test_a_record_cache_locked_by_another_build_is_left_alone(tmp_path, monkeypatch):
    """Another build writing the file past the timeout: this one goes without the cache, and the
    file (the other build's) is neither deleted nor emptied."""
    import sqlite3

    from cchc.core.keptrows import KeptRows
    from cchc_search.cchc_search import RecordCache

    path = tmp_path / "records"
    first = RecordCache(path, "a")
    _index_files(_corpus(), tmp_path / "a", first)
    first.save()
    monkeypatch.setattr(KeptRows, "TIMEOUT", 0.1)
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        blocked = RecordCache(path, "a")
        assert blocked.rows.db is None and blocked.known == {}
    finally:
        other.rollback()
        other.close()
    assert len(RecordCache(path, "a").known) == first.computed
