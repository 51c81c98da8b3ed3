"""Search benchmark: our sharded search index against Pagefind on the same synthetic posts.

    PYTHONPATH=plugins:. python -m bench.search --sizes 1000,10000,30000

For each size: generate the corpus (bench.corpus, fixed seed), turn every post into the
record cchc_search indexes (the plugin's own SearchDoc / write_index), write one minimal HTML
page per post with the same text for Pagefind, build both indexes (plus the single-file
index, for the ranking comparison), serve everything on 127.0.0.1 and run bench/queries.tsv
in headless Chromium:

- bytes per query: a cold page per query (HTTP cache off); every file the engine fetches for
  that query, runtime included (our search-runtime.js / pagefind.js + wasm), counted at its
  brotli size (quality 11; never more than the raw size), also per file kind;
- session latency: one page per engine, the queries in order, each timed from the query to
  the top-10 results' titles, URLs and excerpts being available (our result files or store
  chunks and passages / Pagefind fragments);
- top-10 overlap with the single-file index, recall of unaccented and d-for-đ queries.

Writes bench/results/search.json and prints a table.
"""

import argparse
import email.utils
import http.server
import json
import math
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import brotli
from markdown import Markdown

from bench.corpus import generate
from cchc.core import AREAS, find_doc_numbers, fold, htmltext, nfc, parse_doc_number, slugify
from cchc.core.schema import content_files, read_document
from cchc_search import DEFAULTS, SearchDoc, write_index
from cchc_search.cchc_search import (
    _date_fields,
    doc_from_document,
    doc_from_page,
    doc_from_targets,
    runtime_js,
    ui_text,
)
from cchc_search.grammar import number_tokens, query_terms

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).resolve().parent / "queries.tsv"
JUDGED = Path(__file__).resolve().parent / "judged.tsv"
JS_DIR = ROOT / "theme" / "static" / "js"
SEED = 20211125

HARNESS_JS = r"""
window.benchEngine = null;
window.benchRun = function (engine, arg, q, wantAll) {
  var t0 = performance.now();
  if (engine === "pagefind") {
    var pf = window.benchEngine || (window.benchEngine = import(arg));
    return pf.then(function (mod) { return mod.search(q); }).then(function (s) {
      var res = s ? s.results : [];
      return Promise.all(res.slice(0, 10).map(function (r) { return r.data(); })).then(function (docs) {
        return { ms: performance.now() - t0, count: res.length,
                 top: docs.map(function (d) { return d.url; }),
                 excerpts: docs.map(function (d) { return d.excerpt; }) };
      });
    });
  }
  var e = window.benchEngine || (window.benchEngine = new CCHCSearchEngine(arg));
  return e.search(q, { prefetch: 10 }).then(function (r) {  // as the results page does
    var top = r.results.slice(0, 10);
    return e.docs(top).then(function (docs) {  // store entries and excerpts
      return { ms: performance.now() - t0, count: r.full, partial: r.results.length - r.full,
               top: docs.map(function (d) { return d.url; }),
               all: wantAll ? r.results.slice(0, r.full).map(function (x) { return x.ref; }) : null };
    });
  });
};
window.benchAllUrls = function (q) {
  return window.benchEngine.then(function (mod) { return mod.search(q); }).then(function (s) {
    var res = s ? s.results : [];
    var out = [];
    var chain = Promise.resolve();
    for (var i = 0; i < res.length; i += 100) {
      (function (batch) {
        chain = chain.then(function () {
          return Promise.all(batch.map(function (r) { return r.data(); })).then(function (d) {
            d.forEach(function (x) { out.push(x.url); });
          });
        });
      })(res.slice(i, i + 100));
    }
    return chain.then(function () { return out; });
  });
};
"""
HARNESS_HTML = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>bench</title>
{scripts}<script src="/bench/harness.js"></script></head><body><p>bench</p></body></html>
"""
PAGE_HTML = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1>
<p>{meta}</p>
<p>{summary}</p>
{body}
</main></body></html>
"""


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Corpus → records ------------------------------------------------------------------------

def load_corpus(corpus_dir):
    """Posts of *corpus_dir* as (SearchDoc, body HTML), newest first like the site's listings,
    then the document pages (cchc_documents' registry of the same posts), as the site indexes."""
    from types import SimpleNamespace

    from cchc_documents import build_registry, build_targets
    from cchc_documents.cchc_documents import DEFAULTS as DOCUMENTS_DEFAULTS

    md = Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists"],
                  output_format="html5")
    out, articles, pages = [], [], []
    paths = list(content_files(corpus_dir))
    if not any("pages" in p.relative_to(corpus_dir).parts for p in paths):
        paths += list(content_files(ROOT / "content" / "pages"))  # every site has its pages
    for path in paths:
        doc = read_document(str(path), path.read_text(encoding="utf-8"))
        meta = doc.meta
        if meta.get("type") == "trang":  # the site's pages (the seeds; generated corpora have none)
            html = md.reset().convert(doc.body)
            lang = meta.get("lang", "vi")
            pages.append((doc_from_page(SimpleNamespace(
                url=("" if lang == "vi" else f"{lang}/") + f"{meta['slug']}/", title=meta["title"],
                lang=lang, summary_text=meta.get("summary", ""), _content=html)), html))
            continue
        if meta.get("type") not in ("tin-tuc", "ke-hoach"):
            continue
        html = md.reset().convert(doc.body)
        date = meta.get("date")
        if meta.get("date_status", "chac-chan") == "khong-ro":
            date = None
        blocks = htmltext.blocks(html)
        url = f"{meta['type']}/{meta.get('slug') or slugify(meta['title'])}/"  # as cchc_content does
        out.append((SearchDoc(
            url=url, title=meta["title"], kind=meta["type"], **_date_fields(date),
            locality=meta.get("locality", ""), areas=meta.get("areas", []),
            doc_number=meta.get("doc_number", ""), summary=meta.get("summary", ""),
            body=" ".join(b[0] for b in blocks), blocks=blocks,
        ), html, date))
        articles.append(SimpleNamespace(
            source_path_rel=str(path.relative_to(corpus_dir)), url=url, title=meta["title"],
            kind=meta["type"], doc_number=meta.get("doc_number"), legal_bases=meta.get("legal_bases"),
            summary_text=meta.get("summary", ""), source_ref=meta.get("source_ref", ""),
            doc_type=meta.get("doc_type"), issuer=meta.get("issuer"),
            issue_date=meta.get("issue_date"), _content=html, targets=meta.get("targets"),
            locality=meta.get("locality", "")))
    out.sort(key=lambda t: (t[2].timestamp() if t[2] else 0, t[0].url), reverse=True)
    registry = build_registry(articles, dict(DOCUMENTS_DEFAULTS))
    ui = ui_text()
    # As the site orders them: posts, pages, the targets dashboard, document pages.
    dashboard = [(doc_from_targets(DOCUMENTS_DEFAULTS["TARGETS_URL"], build_targets(articles), ui), "")]
    documents = [(doc_from_document(d, ui), "") for d in registry.sorted()]
    return [(d, h) for d, h, _ in out] + pages + dashboard + documents


def write_pages(records, site):
    for doc, html in records:
        page = site / doc.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        meta = " · ".join(filter(None, (doc.doc_number, doc.facts, doc.locality,
                                        ", ".join(AREAS.get(a, a) for a in doc.areas))))
        page.write_text(PAGE_HTML.format(title=esc(doc.title), meta=esc(meta),
                                         summary=esc(doc.summary), body=html), encoding="utf-8")


RUNTIME = ("search-runtime.js",)  # what the site's search page loads (cchc_search.runtime_js)


def write_harness(site):
    bench = site / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    (bench / "search-runtime.js").write_text(runtime_js(JS_DIR), encoding="utf-8")
    (bench / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    lunr_scripts = "".join(f'<script src="/bench/{n}"></script>\n' for n in RUNTIME)
    (bench / "lunr.html").write_text(HARNESS_HTML.format(scripts=lunr_scripts), encoding="utf-8")
    (bench / "pagefind.html").write_text(HARNESS_HTML.format(scripts=""), encoding="utf-8")


# --- Sizes -----------------------------------------------------------------------------------

def _file_sizes(path):
    data = Path(path).read_bytes()
    return len(data), min(len(data), len(brotli.compress(data, quality=11)))


class Sizes:
    """Raw and brotli (q11) size of files under the site, cached."""

    def __init__(self, site):
        self.site = site
        self.cache = {}

    def __call__(self, rel):
        if rel not in self.cache:
            self.cache[rel] = _file_sizes(self.site / rel)
        return self.cache[rel]

    def prefetch(self, rels):
        """Size the files of *rels* not sized yet, with a pool of all cores (same numbers)."""
        todo = sorted(set(rels) - self.cache.keys())
        if len(todo) < 200:
            return
        with multiprocessing.Pool() as pool:
            for rel, size in zip(todo, pool.imap(_file_sizes, [self.site / f for f in todo], chunksize=16)):
                self.cache[rel] = size

    def tree(self, rel, skip=()):
        """Totals of a whole index folder (run it when nothing is being timed: see prefetch)."""
        files = [str(p.relative_to(self.site)) for p in (self.site / rel).rglob("*") if p.is_file()
                 and not any(s in p.name for s in skip)]
        self.prefetch(files)
        sizes = [self(f) for f in files]
        return {"files": len(files), "raw_bytes": sum(s[0] for s in sizes),
                "brotli_bytes": sum(s[1] for s in sizes)}


# --- Browser ---------------------------------------------------------------------------------

class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A static file server fast enough not to be what is measured.

    Python's SimpleHTTPRequestHandler costs milliseconds per request (HTTP/1.0, a new
    connection each time, headers and body in separate writes): with ten small files per
    query, that overhead, not the search engines, decided the session latency. This one keeps
    connections alive (HTTP/1.1, TCP_NODELAY), holds the files in memory and answers each
    request with one write; like a real static host it sends Last-Modified and answers a
    matching If-Modified-Since with 304. Both engines are served by it.
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    types = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json",
             ".wasm": "application/wasm", ".css": "text/css"}
    root = None
    files = {}  # request path → (headers, body, Last-Modified), or None when there is no such file
    lock = threading.Lock()

    # Every path served, in order: Pagefind fetches from a Web Worker, which the page's
    # Resource Timing does not see, so bytes are counted on the server side.
    served = []

    def _load(self, path):
        rel = urllib.parse.unquote(path.split("?", 1)[0]).lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        file = (self.root / rel).resolve()
        if self.root not in file.parents or not file.is_file():
            return None
        body = file.read_bytes()
        modified = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
        ctype = self.types.get(file.suffix, "application/octet-stream")
        head = (f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                f"Last-Modified: {modified}\r\n").encode()
        return head, body, modified

    def do_GET(self):
        QuietHandler.served.append(self.path)
        with self.lock:
            if self.path not in self.files:
                self.files[self.path] = self._load(self.path)
            entry = self.files[self.path]
        if entry is None:
            self.wfile.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        elif self.headers.get("If-Modified-Since") == entry[2]:
            self.wfile.write(f"HTTP/1.1 304 Not Modified\r\nLast-Modified: {entry[2]}\r\n\r\n".encode())
        else:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n" + entry[0] + b"\r\n" + entry[1])

    def log_message(self, *args):
        pass


def serve(site):
    QuietHandler.root = Path(site).resolve()
    QuietHandler.files = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=390,844"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    driver.set_script_timeout(600)
    driver.set_page_load_timeout(120)
    # One query of a slow engine on a large corpus can take minutes: wait for it (Selenium's
    # own HTTP client gives up after 120 s by default).
    driver.command_executor.client_config.timeout = 900
    return driver


RUN = "var done = arguments[arguments.length - 1]; window.benchRun(arguments[0], arguments[1], " \
      "arguments[2], arguments[3]).then(done, function (e) { done({error: String(e)}); });"
RESOURCES = "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"


def open_harness(driver, base, engine):
    page = "pagefind" if engine == "pagefind" else "lunr"
    driver.get(f"{base}/bench/{page}.html")
    driver.execute_script("performance.setResourceTimingBufferSize(100000);")


ENGINES = {"lunr": "/lunr/manifest.json", "lunr-mono": "/lunr-mono/manifest.json",
           "pagefind": "/pagefind/pagefind.js"}


def cold_fetch(driver, base, engine, query, site):
    """The files fetched for *query* from a cold page (HTTP cache off) and the query's time."""
    # Network.setCacheDisabled covers the page, not Pagefind's Web Worker: without clearing the
    # cache, the worker took its wasm, meta and index chunks from earlier queries' fetches.
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    open_harness(driver, base, engine)
    QuietHandler.served.clear()
    result = driver.execute_async_script(RUN, "pagefind" if engine == "pagefind" else "lunr",
                                         ENGINES[engine], query, False)
    if "error" in result:
        raise RuntimeError(f"{engine} {query!r}: {result['error']}")
    # The page itself loads our scripts before the query: count them as runtime.
    names = list(QuietHandler.served)
    if engine != "pagefind":
        names += [f"/bench/{n}" for n in RUNTIME]
    rels = []
    for name in names:
        rel = name.split("?")[0].lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        if (site / rel).is_file():  # not e.g. the browser's own favicon.ico probe
            rels.append(rel)
    return rels, len(names), result["ms"]


def cold_bytes(fetched, sizes):
    """Brotli bytes of the files one cold query fetched (cold_fetch) → (total, total without the
    runtime, requests, ms, bytes and requests per file kind)."""
    rels, requests, ms = fetched
    total = runtime = 0
    kinds = {}
    for rel in rels:
        size = sizes(rel)[1]
        total += size
        kind = file_kind(rel)
        kinds[kind] = kinds.get(kind, 0) + size
        kinds["requests " + kind] = kinds.get("requests " + kind, 0) + 1
        if kind == "runtime":
            runtime += size
    return total, total - runtime, requests, ms, kinds


def file_kind(rel):
    """What a fetched file is, for the bytes breakdown: runtime (scripts, wasm), manifest,
    shards (term entries), results / store / passages (what the results show), facets; for
    Pagefind its own names (pagefind-entry, meta, index chunks, fragments)."""
    if rel.endswith((".js", ".wasm")) or "wasm." in rel:
        return "runtime"
    name = rel.rsplit("/", 1)[-1]
    if rel.startswith("pagefind/"):
        for part, kind in (("/index/", "index"), ("/fragment/", "fragments"), ("pagefind-entry", "entry"),
                           (".pf_meta", "meta"), ("/filter/", "filters")):
            if part in "/" + rel:
                return kind
        return "other"
    for folder, kind in (("/shards/", "shards"), ("/results/", "results"), ("/docs/", "store"),
                         ("/passages/", "passages")):
        if folder in "/" + rel:
            return kind
    return name.rsplit(".", 1)[0]  # manifest, index (single file), facets


def session(driver, base, engine, queries):
    open_harness(driver, base, engine)
    out = []
    for _cat, query, _truth in queries:
        result = driver.execute_async_script(RUN, "pagefind" if engine == "pagefind" else "lunr",
                                             ENGINES[engine], query, engine != "pagefind")
        if "error" in result:
            raise RuntimeError(f"{engine} {query!r}: {result['error']}")
        out.append(result)
    return out


def pct(values, p):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summary(values):
    return {"median": round(statistics.median(values), 2), "p95": round(pct(values, 95), 2)}


def norm_url(url):
    return url.lstrip("/")


# --- One corpus size -------------------------------------------------------------------------

def read_queries(records):
    queries = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        queries.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    # Document numbers of the corpus's own plans (deterministic: the first four plans in
    # generation order exist in every corpus size), typed without diacritics.
    numbered = [d for d, _h in records if d.doc_number and d.kind == "ke-hoach"
                and re.search(r"\((\d+)\)$", d.title)]  # generated corpora only
    plans = sorted(numbered, key=lambda d: int(re.search(r"\((\d+)\)$", d.title).group(1)))
    for doc in plans[:4]:
        queries.append(("docnum-own", fold(doc.doc_number).upper(), doc.url))
    return queries


def record_text(d):
    return nfc(" ".join((d.title, d.summary, d.body, d.facts, d.locality, d.doc_number,
                         " ".join(AREAS.get(a, a) for a in d.areas)))).lower()


def record_number_tokens(d):
    numbers = find_doc_numbers(" ".join((d.title, d.summary, d.body)))
    own = parse_doc_number(d.doc_number) if d.doc_number else None
    return {t for n in numbers + ([own] if own else []) for t in number_tokens(n)}


def read_judged(records, corpus_name):
    """[(category, query, relevant urls or None for off-topic)] for this corpus (see judged.tsv)."""
    docs = [d for d, _h in records]
    texts = {d.url: record_text(d) for d in docs}
    tokens = {d.url: record_number_tokens(d) for d in docs}
    folded = {u: set(fold(t).replace(",", " ").replace(".", " ").split()) for u, t in texts.items()}
    rows = []
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        corpus, cat, query, truth = line.split("\t")
        if corpus not in ("*", corpus_name):
            continue
        rows.append((cat, query, truth))
    if corpus_name != "seeds":
        plans = sorted((d for d in docs if d.doc_number and d.kind == "ke-hoach"),
                       key=lambda d: int(re.search(r"\((\d+)\)$", d.title).group(1)))
        for d in plans[:4]:
            n = parse_doc_number(d.doc_number)
            rows += [("docnum", fold(n.text), "number"), ("docnum-partial", n.number, "number"),
                     ("docnum-partial", f"{n.number}/{n.kind}", "number")]
    out = []
    for cat, query, truth in rows:
        if truth == "none":
            words = set(query_terms(query))
            if any(words <= f for f in folded.values()):
                print(f"  judged: {query!r} is not off-topic in this corpus; left out", flush=True)
                continue
            out.append((cat, query, None))
        elif truth == "number":
            token = query_terms(query)[0]
            out.append((cat, query, {u for u, t in tokens.items() if token in t}))
        elif truth.startswith("urls:"):
            out.append((cat, query, set(truth[5:].split())))
        else:
            phrase = nfc(truth[7:]).lower()
            out.append((cat, query, {u for u, t in texts.items() if phrase in t}))
    return [(c, q, r) for c, q, r in out if r is None or r]


def ndcg(top, relevant, k=5):
    """nDCG@k with binary relevance: the DCG of *top* over that of the ideal order."""
    dcg = sum(1 / math.log2(i + 2) for i, u in enumerate(top[:k]) if u in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal


def quality(driver, base, judged):
    """success@3, nDCG@5, precision@5 and no-result-when-nothing-matches per engine over the
    judged queries."""
    per_engine = {}
    for engine in ("lunr", "pagefind"):
        open_harness(driver, base, engine)
        rows = []
        for cat, query, relevant in judged:
            r = driver.execute_async_script(RUN, engine, ENGINES[engine], query, False)
            if "error" in r:
                raise RuntimeError(f"{engine} {query!r}: {r['error']}")
            top = [norm_url(u) for u in r["top"][:5]]
            row = {"category": cat, "query": query, "top5": top, "count": r["count"]}
            if relevant is None:
                row["no_result"] = r["count"] == 0
            else:
                row["relevant"] = len(relevant)
                row["precision_at_5"] = round(len(set(top) & relevant) / min(5, len(relevant)), 4)
                row["success_at_3"] = bool(set(top[:3]) & relevant)
                row["ndcg_at_5"] = round(ndcg(top, relevant), 4)
            rows.append(row)
        judged_rows = [x for x in rows if "precision_at_5" in x]
        off = [x for x in rows if "no_result" in x]
        cats = sorted({x["category"] for x in judged_rows})
        per_engine[engine] = {
            "judged_queries": len(judged_rows),
            "success_at_3": round(statistics.mean(x["success_at_3"] for x in judged_rows), 4),
            "ndcg_at_5": round(statistics.mean(x["ndcg_at_5"] for x in judged_rows), 4),
            "success_at_3_by_category": {
                c: round(statistics.mean(x["success_at_3"] for x in judged_rows if x["category"] == c), 4)
                for c in cats},
            "failed_at_3": [x["query"] for x in judged_rows if not x["success_at_3"]],
            "precision_at_5": round(statistics.mean(x["precision_at_5"] for x in judged_rows), 4),
            "precision_at_5_by_category": {
                c: round(statistics.mean(x["precision_at_5"] for x in judged_rows if x["category"] == c), 4)
                for c in cats},
            "no_result_when_nothing_matches": f"{sum(x['no_result'] for x in off)}/{len(off)}",
            "queries": rows,
        }
    return per_engine


def run_size(count, args, driver):
    """One corpus: *count* generated posts, or "seeds" (the site's own content/)."""
    corpus = ROOT / "content" if count == "seeds" else Path(args.corpora) / str(count)
    stamp = corpus / ".generated"
    if count != "seeds" and (not stamp.exists() or stamp.read_text() != f"{count} {SEED}"):
        if corpus.exists():
            shutil.rmtree(corpus)
        t0 = time.perf_counter()
        generate(count, corpus, seed=SEED)
        stamp.write_text(f"{count} {SEED}")
        print(f"  corpus {count}: generated in {time.perf_counter() - t0:.1f}s", flush=True)
    records = load_corpus(corpus)
    docs = [d for d, _h in records]
    site = Path(args.work) / str(count)
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    write_pages(records, site)
    write_harness(site)
    conf = args.settings
    t0 = time.perf_counter()
    # What the site would ship at this size: one file below SHARD_THRESHOLD, shards above.
    manifest = write_index(docs, site / "lunr", conf)
    lunr_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_index(docs, site / "lunr-mono", conf, sharded=False)
    mono_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)],
                          capture_output=True, text=True)
    pagefind_build = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError("pagefind failed:\n" + proc.stdout + proc.stderr)
    print(f"  {count}: lunr {lunr_build:.1f}s ({manifest.get('buckets') or 'single file, no'} shards), "
          f"mono {mono_build:.1f}s, pagefind {pagefind_build:.1f}s", flush=True)

    sizes = Sizes(site)
    queries = read_queries(records)
    httpd, base = serve(site)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        engines = ["lunr", "pagefind"] + (["lunr-mono"] if args.mono_cold else [])
        cold = {e: [] for e in engines}
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        t0 = time.perf_counter()
        for i, (_cat, query, _truth) in enumerate(queries, 1):
            for engine in engines:
                cold[engine].append(cold_fetch(driver, base, engine, query, site))
            if i % 16 == 0:
                print(f"  {count}: {i}/{len(queries)} cold queries in {time.perf_counter() - t0:.0f}s", flush=True)
        sessions = {e: [] for e in ("lunr", "pagefind", "lunr-mono")}
        # Sessions are timed without DevTools watching the network (it slows every request).
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
        driver.execute_cdp_cmd("Network.disable", {})
        print(f"  {count}: cold pages done", flush=True)
        for _round in range(args.rounds):
            for engine in ("lunr", "pagefind"):
                t0 = time.perf_counter()
                sessions[engine].append(session(driver, base, engine, queries))
                print(f"  {count}: {engine} session in {time.perf_counter() - t0:.0f}s", flush=True)
        sessions["lunr-mono"].append(session(driver, base, "lunr-mono", queries))
        # Recall needs every result's URL; Pagefind gives them through one fragment per result.
        recall_queries = [q for q in queries if q[2] and q[0] in ("unaccented", "d")]
        open_harness(driver, base, "pagefind")
        driver.execute_async_script(RUN, "pagefind", ENGINES["pagefind"], "x", False)
        pf_all = {q[1]: driver.execute_async_script(
            "var done = arguments[1]; window.benchAllUrls(arguments[0]).then(done);", q[1])
            for q in recall_queries}
        judged = quality(driver, base, read_judged(records, "seeds" if count == "seeds" else "generated"))
        print(f"  {count}: judged queries done", flush=True)
    finally:
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
        httpd.shutdown()
    # Sizes last, after everything timed (they keep every core busy): the files the cold pages
    # fetched, then the whole indexes. Compressed inline, between the cold pages, they took
    # most of an hour at 30,000 posts.
    t0 = time.perf_counter()
    sizes.prefetch({rel for runs in cold.values() for rels, _n, _ms in runs for rel in rels})
    cold = {e: [cold_bytes(fetched, sizes) for fetched in runs] for e, runs in cold.items()}
    index_size = {
        "lunr": sizes.tree("lunr"),
        "lunr-mono": sizes.tree("lunr-mono"),
        "pagefind": sizes.tree("pagefind", skip=("-ui", "highlight", "component")),
    }
    print(f"  {count}: index sizes in {time.perf_counter() - t0:.0f}s", flush=True)

    per_query = []
    for i, (cat, query, truth) in enumerate(queries):
        lunr_ms = [statistics.median(s[i]["ms"] for s in sessions["lunr"])]
        pf_ms = [statistics.median(s[i]["ms"] for s in sessions["pagefind"])]
        top = {e: [norm_url(u) for u in sessions[e][0][i]["top"]] for e in sessions}
        entry = {
            "category": cat, "query": query,
            "bytes": {e: cold[e][i][0] for e in cold},
            "data_bytes": {e: cold[e][i][1] for e in cold},
            "requests": {e: cold[e][i][2] for e in cold},
            "bytes_by_kind": {e: cold[e][i][4] for e in cold},
            "cold_ms": {e: round(cold[e][i][3], 2) for e in cold},
            "session_ms": {"lunr": round(lunr_ms[0], 2), "pagefind": round(pf_ms[0], 2),
                           "lunr-mono": round(sessions["lunr-mono"][0][i]["ms"], 2)},
            "count": {e: sessions[e][0][i]["count"] for e in sessions},
            "top10": top,
            "top10_identical_to_mono": top["lunr"] == top["lunr-mono"],
            "top10_overlap_with_mono": {
                e: (len(set(top[e]) & set(top["lunr-mono"])) / len(top["lunr-mono"])
                    if top["lunr-mono"] else (1.0 if not top[e] else 0.0))
                for e in ("lunr", "pagefind")},
        }
        if cat == "docnum-own":
            # The document's page, or the plan that is its record, first.
            page = "van-ban/" + parse_doc_number(query).slug + "/"
            entry["owner"] = [page, truth]
            entry["owner_first"] = {e: bool(top[e]) and top[e][0] in (page, truth) for e in ("lunr", "pagefind")}
            entry["page_first"] = {e: bool(top[e]) and top[e][0] == page for e in ("lunr", "pagefind")}
        if truth and cat in ("unaccented", "d"):
            phrase = nfc(truth).lower()
            expected = {d.url for d in docs if phrase in " ".join(
                (d.title, d.summary, d.body, d.locality, d.doc_number,
                 " ".join(AREAS.get(a, a) for a in d.areas))).lower()}
            ours = {docs[r].url for r in sessions["lunr"][0][i]["all"]}
            theirs = {norm_url(u) for u in pf_all[query]}
            entry["recall"] = {
                "expected": len(expected),
                "lunr": round(len(expected & ours) / len(expected), 4) if expected else None,
                "pagefind": round(len(expected & theirs) / len(expected), 4) if expected else None,
            }
        per_query.append(entry)

    def col(key, engine):
        return [q[key][engine] for q in per_query]

    result = {
        "posts": count,
        "records": len(docs),  # posts + document pages
        "quality": {e: {k: v for k, v in judged[e].items() if k != "queries"} for e in judged},
        "judged": {e: judged[e]["queries"] for e in judged},
        "mode": manifest["mode"],
        "shards": manifest.get("buckets", 0),
        "result_files": bool(manifest.get("results")),
        "build_seconds": {"lunr": round(lunr_build, 2), "lunr-mono": round(mono_build, 2),
                          "pagefind": round(pagefind_build, 2)},
        "index_size": index_size,
        "bytes_per_query": {e: summary(col("bytes", e)) for e in cold},
        # What typo tolerance costs: the misspelt queries alone (ours fetch vocab.json too).
        "bytes_per_misspelt_query": {e: summary([q["bytes"][e] for q in per_query if q["category"] == "misspelled"]
                                                or [0]) for e in cold},
        "data_bytes_per_query": {e: summary(col("data_bytes", e)) for e in cold},
        # Medians per file kind (each kind's own median: they need not add up to the total's).
        "bytes_per_query_by_kind": {e: {k: statistics.median(q["bytes_by_kind"][e].get(k, 0) for q in per_query)
                                        for k in sorted({k for q in per_query for k in q["bytes_by_kind"][e]})}
                                    for e in cold},
        "cold_latency_ms": {e: summary(col("cold_ms", e)) for e in cold},
        "session_latency_ms": {e: summary(col("session_ms", e)) for e in ("lunr", "pagefind", "lunr-mono")},
        "top10_identical_to_mono": sum(q["top10_identical_to_mono"] for q in per_query) / len(per_query),
        "top10_overlap_with_mono": {e: round(statistics.mean(q["top10_overlap_with_mono"][e] for q in per_query), 4)
                                    for e in ("lunr", "pagefind")},
        "recall_unaccented_d": {
            e: round(statistics.mean([q["recall"][e] for q in per_query
                                      if q.get("recall") and q["recall"]["expected"]] or [0]), 4)
            for e in ("lunr", "pagefind")},
        "dao_duc_recall": next((q["recall"] for q in per_query if q["query"] == "dao duc"), None),
        "docnum_owner_first": {e: sum(q["owner_first"][e] for q in per_query if "owner_first" in q)
                               / max(1, sum("owner_first" in q for q in per_query)) for e in ("lunr", "pagefind")},
        "queries": per_query,
    }
    return result


def ratio(a, b):
    return round(a / b, 3) if b else None


def print_table(results):
    rows = []
    for r in results:
        bq, sl = r["bytes_per_query"], r["session_latency_ms"]
        for engine in ("lunr", "pagefind"):
            rows.append((
                str(r["posts"]), engine, f"{r['build_seconds'][engine]:.1f}",
                f"{r['index_size'][engine]['brotli_bytes'] / 1024:.0f}",
                f"{bq[engine]['median'] / 1024:.1f}/{bq[engine]['p95'] / 1024:.1f}",
                f"{sl[engine]['median']:.1f}/{sl[engine]['p95']:.1f}",
                f"{r['top10_overlap_with_mono'][engine]:.2f}",
                f"{r['recall_unaccented_d'][engine]:.3f}",
                f"{r['quality'][engine]['success_at_3']:.2f}",
                f"{r['quality'][engine]['ndcg_at_5']:.2f}",
                f"{r['quality'][engine]['precision_at_5']:.2f}",
                r["quality"][engine]["no_result_when_nothing_matches"],
            ))
        rows.append((str(r["posts"]), "ratio", "", "",
                     f"{ratio(bq['lunr']['median'], bq['pagefind']['median'])}/"
                     f"{ratio(bq['lunr']['p95'], bq['pagefind']['p95'])}",
                     f"{ratio(sl['lunr']['median'], sl['pagefind']['median'])}/"
                     f"{ratio(sl['lunr']['p95'], sl['pagefind']['p95'])}",
                     f"identical {r['top10_identical_to_mono']:.2f}", "", "", "", "", ""))
    head = ("posts", "engine", "build s", "index KB br", "KB/query med/p95",
            "session ms med/p95", "top10 vs mono", "recall unacc/đ", "S@3", "nDCG@5", "P@5",
            "no-match right")
    widths = [max(len(str(x[i])) for x in rows + [head]) for i in range(len(head))]
    for row in [head] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


def markdown_table(results):
    """The bench/README.md table (medians / p95) and the ratio lines, from a results file's sizes."""
    lines = ["| posts (records) | engine | build | index (brotli) | KB fetched per query | "
             "session latency per query | top-10 vs single index | recall, unaccented and d-for-đ | "
             "success@3 / nDCG@5 / precision@5, judged | no match when nothing matches |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    ratios = []
    for r in results:
        bq, sl = r["bytes_per_query"], r["session_latency_ms"]
        posts = r["posts"] if r["posts"] == "seeds" else f"{r['posts']:,}"
        for engine, name in (("lunr", f"ours ({r['mode']}, {r['shards']} shards)" if r["shards"]
                              else f"ours ({r['mode']} file)"), ("pagefind", "Pagefind 1.5.2")):
            same = (f"{r['top10_identical_to_mono'] * 100:.0f} % identical" if engine == "lunr"
                    else f"{r['top10_overlap_with_mono']['pagefind'] * 100:.0f} % overlap")
            q = r["quality"][engine]
            lines.append(
                f"| {posts} ({r['records']:,}) | {name} | {r['build_seconds'][engine]:.0f} s | "
                f"{r['index_size'][engine]['brotli_bytes'] / 1e6:.1f} MB | "
                f"{bq[engine]['median'] / 1000:.0f} / {bq[engine]['p95'] / 1000:.0f} | "
                f"{sl[engine]['median']:.1f} / {sl[engine]['p95']:.1f} ms | {same} | "
                f"{r['recall_unaccented_d'][engine]:.2f} | {q['success_at_3']:.2f} / "
                f"{q['ndcg_at_5']:.2f} / {q['precision_at_5']:.2f} ({q['judged_queries']}) | "
                f"{q['no_result_when_nothing_matches']} |")
        ratios.append(f"{posts}: bytes {ratio(bq['lunr']['median'], bq['pagefind']['median'])} / "
                      f"{ratio(bq['lunr']['p95'], bq['pagefind']['p95'])}, latency "
                      f"{ratio(sl['lunr']['median'], sl['pagefind']['median'])} / "
                      f"{ratio(sl['lunr']['p95'], sl['pagefind']['p95'])}")
    return "\n".join(lines) + "\n\nRatios ours / Pagefind, median / p95: " + "; ".join(ratios) + "."


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=os.environ.get("SIZES", "seeds,1000,10000,30000"),
                    help='post counts of generated corpora; "seeds" is the site\'s own content/')
    ap.add_argument("--corpora", default=str(ROOT / "bench" / "corpora"))
    ap.add_argument("--work", default=str(ROOT / "bench" / "work"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "search.json"))
    ap.add_argument("--rounds", type=int, default=2, help="session rounds per engine (median taken)")
    ap.add_argument("--mono-cold", action="store_true", help="also measure the monolithic index cold")
    ap.add_argument("--conf", type=json.loads, default={},
                    help='CCHC_SEARCH overrides as JSON, e.g. \'{"DOC_CHUNK_SIZE": 4}\'')
    ap.add_argument("--table", metavar="RESULTS", help="print the bench/README.md table of a results file and stop")
    args = ap.parse_args(argv)
    if args.table:
        print(markdown_table(json.loads(Path(args.table).read_text(encoding="utf-8"))["sizes"]))
        return
    sizes = [s.strip() if s.strip() == "seeds" else int(s) for s in args.sizes.split(",") if s.strip()]
    args.settings = {**DEFAULTS, **args.conf}  # what run_size indexes with
    driver = chromium()
    out = {
        "generated_by": "make bench-search (bench/search.py)",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "chromium": driver.capabilities.get("browserVersion"),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "settings": {k: args.settings[k] for k in ("SHARD_THRESHOLD", "SHARD_TARGET_BYTES", "RESULT_FILES",
                                                  "DOC_CHUNK_SIZE", "PASSAGE_WORDS")},
        "method": __doc__.split("\n\n", 2)[2].strip(),
        "sizes": [],
    }
    results = out["sizes"]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    try:
        for count in sizes:
            print(f"size {count}", flush=True)
            t0 = time.perf_counter()
            results.append(run_size(count, args, driver))
            # A shared machine: say how loaded it was (1, 5 and 15 minutes) when the size ended.
            results[-1]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            print(f"  done in {time.perf_counter() - t0:.0f}s", flush=True)
            # Written after every size, so a long run that fails later keeps what it measured.
            Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    finally:
        driver.quit()
    print_table(results)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
