"""`make bench-import`: time `cchc import` on 1,000 legacy pages and on one 50 MB page.

    python -m bench.import_pages --pages 1000 --repeat 3     # PYTHONPATH=plugins:.

The corpus (bench/corpora/import-<N>/, ignored by git) is made of the repository's real legacy
material, copied round-robin with a copy number in each title so that every copy is a new post:
the 24 real portal pages and the 5 seeds (saved as text), the saved HTML pages of
tests/fixtures/import/, and Plone items (collective.exportimport JSON, one per file).

Peer, measured in the same run, alternately with ours, on the same files: the bare conversion a
hand-written script would do (read, decode UTF-8, BeautifulSoup + markdownify for HTML and Plone
bodies, write one .md per file) with none of our cleaning, checking or reporting. The ratio
ours/peer shows what the importer's rules cost on top of the conversion itself.

Also timed: one page of about 50 MB made of unclosed ``<p><font>`` paragraphs (valid HTML4).
Each measurement is wall time and CPU time (user + system of the process tree) with the peak
memory; medians of ``--repeat`` runs count. The machine's load average is recorded before and
after: on a shared machine wall time is disturbed, CPU time much less. Results go to
bench/results/import.json.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.build import _MEASURE  # one way to measure a process tree, shared with bench-build

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "bench" / "corpora"
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results" / "import.json"
LEGACY = ROOT / "tests" / "fixtures" / "legacy"
TARGET_S = 60


PEER = """
import sys
from pathlib import Path
from bs4 import BeautifulSoup
from markdownify import markdownify
import json
src, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True)
for i, path in enumerate(sorted(src.iterdir())):
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".json":
        text = json.loads(text).get("text", {}).get("data", "")
    if path.suffix in (".html", ".json"):
        text = markdownify(str(BeautifulSoup(text, "html.parser")))
    (out / f"{i}.md").write_text(text, encoding="utf-8")
"""


def _sources():
    """(kind, name, text, title or None) of every real legacy item the corpus is built from."""
    manifest = json.loads((LEGACY / "portals" / "manifest.json").read_text(encoding="utf-8"))
    for m in manifest:
        yield "txt", m["file"], (LEGACY / "portals" / m["file"]).read_text(encoding="utf-8"), m["expected"]["title"]
    for seed in sorted((LEGACY / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        first = next(line for line in text.splitlines() if line.strip() and not line.startswith("Skip"))
        yield "txt", seed.name, text, first.strip()
    for page in sorted((ROOT / "tests" / "fixtures" / "import").glob("*.html")):
        yield "html", page.name, page.read_text(encoding="utf-8"), None
    item = json.loads((LEGACY / "plone" / "plone02_exportimport_newsitem_data.json").read_text(encoding="utf-8"))
    item["text"] = {"content-type": "text/html", "data": "<p>UBND huyện Mẫu Sơn tổ chức hội nghị triển khai "
                    "Kế hoạch số 45/KH-UBND về cải cách hành chính; các xã thực hiện một cửa điện tử.</p>" * 8}
    yield "json", "plone02", json.dumps(item, ensure_ascii=False), item["title"]


def generate(count, path):
    """*count* files round-robin from the real items, each copy's title made unique."""
    path.mkdir(parents=True)
    items = list(_sources())
    for n in range(count):
        kind, name, text, title = items[n % len(items)]
        copy = n // len(items) + 1
        if kind == "json":
            data = json.loads(text)
            data.update(title=f"{data['title']} – bản {copy}", UID=f"{n:032x}", **{"@id": f"/tin/{n}"})
            text = json.dumps(data, ensure_ascii=False)
        elif kind == "html":
            text = text.replace("</h1>", f" – bản {copy}</h1>", 1)
        elif title:
            text = text.replace(title, f"{title} – bản {copy}", 1)
        (path / f"{n:05d}-{Path(name).stem}.{kind}").write_text(text, encoding="utf-8")
    (path / ".complete").write_text("", encoding="utf-8")


def big_page(path, megabytes=50):
    """One page of about *megabytes* MB of unclosed <p><font> paragraphs."""
    para = "<p><font color=red>Đoạn {} về cải cách hành chính nhà nước, tiếp tục triển khai nhiệm vụ năm 2024."
    size = len(para.format(0).encode())
    parts = ["<html><head><title>Trang lớn</title></head><body><h1>Trang rất lớn về cải cách hành chính</h1>"
             "<p>25/11/2021"] + [para.format(i) for i in range(megabytes * 1_000_000 // size)]
    path.write_text("".join(parts) + "</body></html>", encoding="utf-8")


def measure(cmd, env):
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, cmd)], env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load():
    return [round(x, 2) for x in os.getloadavg()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big-mb", type=int, default=50)
    ap.add_argument("--big-repeat", type=int, default=1)
    args = ap.parse_args(argv)
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'plugins'}{os.pathsep}{ROOT}")
    corpus = CORPORA / f"import-{args.pages}"
    if not (corpus / ".complete").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        generate(args.pages, corpus)
    big = CORPORA / f"import-big-{args.big_mb}mb.html"
    if not big.exists():
        CORPORA.mkdir(parents=True, exist_ok=True)
        big_page(big, args.big_mb)
    shutil.rmtree(WORK / "import", ignore_errors=True)
    runs = {"ours": [], "peer": [], "big": []}
    load_before = load()
    for i in range(args.repeat):
        into = WORK / "import" / f"ours-{i}"
        runs["ours"].append(measure([sys.executable, "-m", "cchc.cli.cli", "import", corpus, "--into", into,
                                     "--report", into / "bao-cao.json"], env))
        written = len(list((into / "tin-tuc").glob("*.md"))) + len(list((into / "pages").glob("*.md")))
        runs["ours"][-1]["posts_written"] = written
        report = json.loads((into / "bao-cao.json").read_text(encoding="utf-8"))
        runs["ours"][-1]["statuses"] = {s: sum(1 for e in report if e["status"] == s)
                                        for s in ("imported", "needs_review", "skipped", "failed")}
        runs["peer"].append(measure([sys.executable, "-c", PEER, corpus, WORK / "import" / f"peer-{i}"], env))
    for i in range(args.big_repeat):
        into = WORK / "import" / f"big-{i}"
        runs["big"].append(measure([sys.executable, "-m", "cchc.cli.cli", "import", big, "--into", into,
                                    "--report", into / "bao-cao.json"], env))
        entry = json.loads((into / "bao-cao.json").read_text(encoding="utf-8"))[0]
        runs["big"][-1].update(status=entry["status"], first_warning=entry["warnings"][0])
    load_after = load()

    def med(kind, key):
        return round(statistics.median(r[key] for r in runs[kind]), 2)

    result = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_before": load_before, "load_average_after": load_after,
                    "note": "shared machine (7 engineers on 2 cores): wall times are disturbed by the others' "
                            "work; CPU time is the steadier measure"},
        "pages": args.pages, "repeat": args.repeat, "target_s": TARGET_S,
        "ours": {"wall_s": med("ours", "wall_s"), "cpu_s": med("ours", "cpu_s"),
                 "peak_rss_mb": med("ours", "peak_rss_mb"), "statuses": runs["ours"][-1]["statuses"],
                 "posts_written": runs["ours"][-1]["posts_written"]},
        "peer": {"what": "read + BeautifulSoup + markdownify + write, no rules", "wall_s": med("peer", "wall_s"),
                 "cpu_s": med("peer", "cpu_s")},
        "ratio_wall": round(med("ours", "wall_s") / med("peer", "wall_s"), 2),
        "ratio_cpu": round(med("ours", "cpu_s") / med("peer", "cpu_s"), 2),
        "target_met_wall": med("ours", "wall_s") <= TARGET_S,
        "target_met_cpu": med("ours", "cpu_s") <= TARGET_S,
        "big_page": {"megabytes": round(big.stat().st_size / 1e6, 1), "repeat": args.big_repeat,
                     "wall_s": med("big", "wall_s"), "cpu_s": med("big", "cpu_s"),
                     "peak_rss_mb": med("big", "peak_rss_mb"), "status": runs["big"][-1]["status"],
                     "first_warning": runs["big"][-1]["first_warning"]},
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{args.pages} trang: {result['ours']['wall_s']} s (CPU {result['ours']['cpu_s']} s), "
          f"đối chứng {result['peer']['wall_s']} s (CPU {result['peer']['cpu_s']} s), "
          f"tỉ lệ {result['ratio_wall']}× (CPU {result['ratio_cpu']}×); mục tiêu ≤ {TARGET_S} s; "
          f"tải máy {load_before} → {load_after}")
    print(f"Trang {result['big_page']['megabytes']} MB: {result['big_page']['wall_s']} s "
          f"(CPU {result['big_page']['cpu_s']} s), {result['big_page']['status']}")
    print(f"Kết quả: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
