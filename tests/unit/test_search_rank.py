"""The browser ranks exactly as the Python statement of the rules (cchc_search/ranking.py), run
under Node (no browser needed), and the rules do what a reader expects.

Both sides read one index: the seed site's records (posts and document pages, as bench.search
indexes them) written by write_index into a temporary folder. Node runs the runtime the site
ships (cchc_search.runtime_js) with fetch reading those files; Python runs ranking.rank over
the same entries. Each query of RANK_QUERIES must give the same parsed words and pairs, the
same records in the same order and the same keys (full, own, exact, phrase, near, score,
spots).
"""

import json
import subprocess

import pytest

from bench.search import load_corpus
from cchc.core import fold
from cchc_search import DEFAULTS, write_index
from cchc_search.cchc_search import runtime_js
from cchc_search.grammar import parse_query
from cchc_search.ranking import common_words, correct, osa_distance, rank, vocabulary
from conftest import ROOT
from test_search_grammar import JS, node

RANK_QUERIES = [
    "mot cua", "một cửa", '"mot cua"', "“một cửa” liên thông", "mot cua lien thong",
    "cai cach hanh chinh", "cải cách hành chính", "của", "cua", "và các", "tam duong chi tieu",
    "so dien thoai lien he", "dao duc", "đạo đức công vụ", "Đạo đức", "thu tuc hanh chinh",
    "kỷ luật kỷ cương hành chính", "hành lang pháp lý", "nâng cao chất lượng phục vụ",
    "179/KH-UBND", "kế hoạch Tây Hồ 179/KH-UBND", "14460", "179 KH", "16-NQ", "2021",
    "chi so hai long", "SIPAS Tam Dương", "bóng đá", "xyzzy qwerty", '"tay ho" ke hoach',
    "tây hồ", "Tây Hồ", "constructor", "__proto__ của", "nghi quyet 76", "<img src=x>",
    "so dien thoai lien he", "administrative reform", "muc do hai long",
    # Misspelt: corrected to the nearest indexed words, then ranked.
    "cai cahc hanh chin", "dao dcu", "tahm duong", "so dien thaoi", "administrativ reform",
    "thu tuc hanh chinhh", "cải cáhc hành chính", "xyzzy", "mot cuaa lien thong", "bóng đá",
    "giá vàng hôm nay", "dcu", "administrativ",
]

HARNESS = r"""
const fs = require("fs"), path = require("path"), vm = require("vm");
const base = process.argv[3];
const ctx = { console, Promise, fetch: (url) => Promise.resolve({
  ok: true, json: () => Promise.resolve(JSON.parse(fs.readFileSync(path.join(base, url), "utf8"))) }) };
ctx.globalThis = ctx;
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), ctx, { filename: process.argv[2] });
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const engine = new ctx.CCHCSearchEngine("data/manifest.json");
(async () => {
  const out = [];
  for (const q of queries) {
    const r = await engine.search(q);
    out.push({ parsed: ctx.CCHCFold.parseQuery(q), common: engine.commonWords(r.words), corrected: r.corrected,
               results: r.results.map((x) => ({ ref: x.ref, full: x.full, own: x.own, exact: x.exact,
                 phrase: x.phrase, near: x.near, score: x.score, spots: x.spots })) });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rank")
    docs = [d for d, _html in load_corpus(ROOT / "content")]
    write_index(docs, tmp / "data", dict(DEFAULTS), sharded=False)
    data = json.loads((tmp / "data" / "index.json").read_text(encoding="utf-8"))
    return tmp, {e[0]: e for e in data["entries"]}, len(docs), [s[0] for s in data["store"]]


@pytest.fixture(scope="module")
def node_ranked(seed_index):
    tmp, _entries, _n, _urls = seed_index
    (tmp / "search-runtime.js").write_text(runtime_js(JS), encoding="utf-8")
    (tmp / "harness.js").write_text(HARNESS, encoding="utf-8")
    proc = subprocess.run([*node(), str(tmp / "harness.js"), str(tmp / "search-runtime.js"), str(tmp)],
                          input=json.dumps(RANK_QUERIES), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def python_rank(seed_index, query):
    """ranking.rank of the query, or of its correction when a word is not in the index."""
    _tmp, entries, n, _urls = seed_index
    words, pairs = parse_query(correct(query, entries, vocabulary(entries)) or query)
    return rank(entries, n, words, pairs)


@pytest.mark.parametrize("n", range(len(RANK_QUERIES)), ids=RANK_QUERIES)
def test_browser_ranks_as_the_python_reference(seed_index, node_ranked, n):
    query = RANK_QUERIES[n]
    _tmp, entries, ndocs, _urls = seed_index
    got = node_ranked[n]
    assert got["parsed"] == dict(zip(("words", "pairs"), parse_query(query)))
    assert got["corrected"] == correct(query, entries, vocabulary(entries))
    words, _pairs = parse_query(got["corrected"] or query)
    assert got["common"] == common_words(entries, ndocs, words)
    assert got["results"] == python_rank(seed_index, query)


OSA_TABLE = [("cahc", "cach"), ("chin", "chinh"), ("ca", "abc"), ("", "ab"), ("kitten", "sitting"),
             ("abcdef", "badcfe"), ("hanh", "hanh"), ("dcu", "duc"), ("ñandu", "nandu"), ("𝒜b", "ab")]


def test_edit_distance_equals_python(seed_index):
    tmp = seed_index[0]
    script = ("const fs = require('fs'), vm = require('vm'); const ctx = {}; ctx.globalThis = ctx;"
              "vm.createContext(ctx); vm.runInContext(fs.readFileSync(process.argv[2], 'utf8'), ctx);"
              "const t = JSON.parse(fs.readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(t.map(([a, b]) => [1, 2].map((k) =>"
              " ctx.CCHCSearchEngine.osaDistance(a, b, k)))));")
    (tmp / "osa.js").write_text(script, encoding="utf-8")
    (tmp / "search-runtime.js").write_text(runtime_js(JS), encoding="utf-8")
    proc = subprocess.run([*node(), str(tmp / "osa.js"), str(tmp / "search-runtime.js")],
                          input=json.dumps(OSA_TABLE), capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == [[osa_distance(a, b, k) for k in (1, 2)] for a, b in OSA_TABLE]
    assert osa_distance("cahc", "cach", 2) == 1 and osa_distance("kitten", "sitting", 5) == 3


@pytest.mark.parametrize("typed, meant", [
    ("cai cahc hanh chin", "cai cach hanh chinh"),  # a swap, a missing letter; pairs choose "cach" over "cac"
    ("dao dcu", "dao duc"),
    ("so dien thaoi lien he", "so dien thoai lien he"),
    ("administrativ reform", "administrative reform"),
    ("mot cua", None),  # every word is in the index: nothing to correct
    ("xyzzy", None),  # nothing near
    ("bóng đá", None),  # "bong" is near "cong", but a real word the seeds never use
    ("giá vàng hôm nay", None),
    ("dcu", None),  # short, alone: no phrase to confirm it
])
def test_misspelt_word_is_corrected_to_the_nearest_indexed_word(seed_index, typed, meant):
    _tmp, entries, _n, _urls = seed_index
    assert correct(typed, entries, vocabulary(entries)) == meant


def urls_of(seed_index, query):
    urls = seed_index[3]
    ranked = python_rank(seed_index, query)
    return [urls[r["ref"]] for r in ranked if r["full"]], [urls[r["ref"]] for r in ranked]


def texts_with(phrase):
    """Records whose text holds *phrase*, folded (one seed post writes "Bộ phận Một của")."""
    docs = [d for d, _html in load_corpus(ROOT / "content")]
    return {d.url for d in docs if fold(phrase) in fold(" ".join((d.title, d.summary, d.body, d.facts)))}


@pytest.mark.parametrize("query", ["mot cua", "chi so hai long", "don vi su nghiep", "mot cua lien thong"])
def test_phrase_ranks_above_the_same_words_scattered(seed_index, query):
    """Every record holding the words as a phrase comes before those holding them apart."""
    _full, ranked = urls_of(seed_index, query)
    phrase = texts_with(query)
    assert phrase and set(ranked[:len(phrase)]) == phrase


def test_mot_cua_full_matches_are_the_one_stop_shop(seed_index):
    """"mot cua": "một … của" (the word "of") far apart is no full match."""
    full, _ranked = urls_of(seed_index, "mot cua")
    assert set(full) == texts_with("một cửa")


def test_quoted_query_is_a_phrase(seed_index):
    full, _ranked = urls_of(seed_index, '"tam duong" ke hoach')
    assert full and set(full) <= texts_with("tam duong")


def test_common_word_alone_neither_matches_nor_pulls_up(seed_index):
    """"của" is in more than half of the records: with a rarer word it counts for nothing."""
    _tmp, entries, n, _urls = seed_index
    words, _pairs = parse_query("sipas của")
    assert common_words(entries, n, words) == [False, True]
    full, ranked = urls_of(seed_index, "sipas của")
    assert set(full) == set(urls_of(seed_index, "sipas")[0]) and set(ranked) == set(full)
    # A query of common words only still finds what holds them.
    assert urls_of(seed_index, "của")[0]


def test_tone_marks_as_typed_rank_first_in_multi_word_queries(tmp_path):
    """"đường đá": the record with both words as typed ("đường rải đá") comes before the one
    where they stand together only once folded ("đường đã xong"): a folded match is another
    word, even when it makes the phrase."""
    from cchc_search import SearchDoc

    texts = ["Sửa đường rải đá cho xã miền núi", "Con đường đã xong trước hạn",
             *[f"Tin khác số {n} về hội nghị" for n in range(6)]]
    docs = [SearchDoc(url=f"p/{n}/", title=t, kind="tin-tuc") for n, t in enumerate(texts)]
    write_index(docs, tmp_path / "data", dict(DEFAULTS), sharded=False)
    data = json.loads((tmp_path / "data" / "index.json").read_text(encoding="utf-8"))
    entries = {e[0]: e for e in data["entries"]}
    words, pairs = parse_query("đường đá")
    ranked = rank(entries, len(docs), words, pairs)
    assert [r["ref"] for r in ranked] == [0, 1]
    assert (ranked[0]["exact"], ranked[0]["phrase"]) == (2, 0)
    assert (ranked[1]["exact"], ranked[1]["phrase"]) == (1, 1)
    # Typed without marks, the phrase decides.
    words, pairs = parse_query("duong da")
    assert [r["ref"] for r in rank(entries, len(docs), words, pairs)] == [1, 0]
