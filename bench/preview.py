"""`make bench-preview`: how soon a saved edit is on the preview, against `pelican --autoreload`.

    python -m bench.preview --posts 2000 --edits 10      # PYTHONPATH=plugins:.

On the same generated corpus (bench/corpus.py, fixed seed; our YAML front matter for ours,
Pelican's ``Key: value`` lines for the peer), both previews run at once: ours is
`cchc devserver` (the warm path, then the full build, as staff get it), the peer is plain
Pelican 4 with its default theme and ``pelican --autoreload``. Edits alternate between them
and, in turn, are of three kinds on the newest news item (issue 31: a body edit once showed a
stale page that a title-only benchmark never saw):

* title: its title gets a marker (its page and the home page must both change);
* body: a paragraph with a marker is appended (its page must change);
* date: its time is moved by a minute and its title gets a marker (the warm path takes it,
  sorting Pelican's lists again, and the next edit stays quick: issue 31);

each timed from just before the file is written to:

* ours: the post's page (and for title and date edits the home page) served with the marker
  (HTTP, from our server) and the reload event for that page received on ``/__cchc/events``
  (the latest of these);
* peer: the same pages on disk with the marker (Pelican has no server push, so "on disk" is the
  earliest a reload could see it).

Before the next edit each side has finished its whole rebuild (ours: the full build that
follows the fast path; the time is recorded too). Medians go to bench/results/preview.json.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from bench.build import PLAIN_SETTINGS, ROOT, WORK, corpus, discard
from bench.localhost import fetch, free_port, stop_group, wait_until

RESULTS = ROOT / "bench" / "results" / "preview.json"


def newest_news(content):
    """The news item with the latest date (it is on both home pages)."""
    best = None
    for path in (content / "tin-tuc").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"^date: (\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d)", text, re.M)
        key = (m.group(3), m.group(2), m.group(1), m.group(4), m.group(5))
        if best is None or key > best[0]:
            best = (key, path.name)
    return best[1]


def set_title(path, marker):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^(title|Title): (\"?)(.*?)( \[sửa \d+\])?(\"?)$",
                  lambda m: f"{m.group(1)}: {m.group(2)}{m.group(3)} [{marker}]{m.group(5)}",
                  text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def add_paragraph(path, marker):
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\nĐoạn văn thêm khi đo xem trước [{marker}].\n")


def set_minute(path, minute):
    """Move the post's time to *minute* past its hour (ours: dd/mm/yyyy HH:MM; the peer's Date: line)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^((?:date|Date): .*? \d\d):\d\d", lambda m: f"{m.group(1)}:{minute:02d}", text, count=1,
                  flags=re.M)
    path.write_text(text, encoding="utf-8")


KINDS = ("body", "title", "date")


def make_edit(kind, post, marker, i):
    """Edit *post* as *kind* says; → whether the home page must show the marker too."""
    if kind == "body":
        add_paragraph(post, marker)
        return False
    if kind == "date":
        set_minute(post, (i * 7) % 60)
    set_title(post, marker)
    return True


class Events:
    """Times at which reload events arrived on /__cchc/events."""

    def __init__(self, base):
        self.events = []
        self.lock = threading.Lock()
        threading.Thread(target=self._listen, args=(base,), daemon=True).start()

    def _listen(self, base):
        with urllib.request.urlopen(f"{base}/__cchc/events", timeout=600) as resp:
            for raw in resp:
                line = raw.decode("utf-8").strip()
                if line.startswith("data: {"):
                    with self.lock:
                        self.events.append((time.perf_counter(), json.loads(line[6:])))

    def first_after(self, t0, path):
        with self.lock:
            for t, event in self.events:
                if t >= t0 and (path in event["paths"] or "*" in event["paths"]):
                    return t
        return None


def wait(predicate, seconds=900, step=0.005):
    value = wait_until(predicate, seconds, step)
    if not value:
        raise SystemExit(f"bench-preview: timed out waiting for a rebuild ({predicate.__name__})")
    return value


def write_results(args, rows, load_start, final=True):
    """bench/results/preview.json from the edits timed so far (written after each edit)."""
    ours_med = statistics.median(r["ours_s"] for r in rows)
    plain_med = statistics.median(r["plain_autoreload_s"] for r in rows)
    full_med = statistics.median(r["ours_full_rebuild_s"] for r in rows)
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "loadavg_at_start": [round(x, 2) for x in load_start],
                    "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
                    "note": ("ours = save -> post page and home page served with the edit and the reload "
                             "event sent (cchc devserver, warm path); plain = save -> post page and index.html "
                             "on disk (pelican --autoreload, default theme, same posts); both running at once, "
                             "edits alternating; the first edit is not counted")},
        "posts": args.posts, "edits": len(rows),
        "median_s": {"ours": round(ours_med, 3), "plain_autoreload": round(plain_med, 3),
                     "ours_full_rebuild_after": round(full_med, 2)},
        "ratio_ours_over_plain": round(ours_med / plain_med, 3),
        "median_s_by_kind": {kind: {"ours": round(statistics.median(r["ours_s"] for r in rows if r["kind"] == kind), 3),
                                    "plain_autoreload": round(statistics.median(
                                        r["plain_autoreload_s"] for r in rows if r["kind"] == kind), 3)}
                             for kind in KINDS if any(r["kind"] == kind for r in rows)},
        "target_s": 1.0,
        "edits_detail": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    result["complete"] = final
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not final:
        return
    print(f"\n{args.posts} posts, median of {len(rows)} edits: ours {ours_med:.3f} s "
          f"(target ≤ 1 s; the full build behind it {full_med:.1f} s), pelican --autoreload {plain_med:.3f} s, "
          f"ratio {ours_med / plain_med:.3f}; load average {load_start[0]:.2f} → {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores. Written to {RESULTS.relative_to(ROOT)}.")
    for kind, med in result["median_s_by_kind"].items():
        print(f"  {kind}: ours {med['ours']:.3f} s, pelican --autoreload {med['plain_autoreload']:.3f} s")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=10)
    args = ap.parse_args(argv)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), COLUMNS="120")
    load_start = os.getloadavg()

    ours = WORK / f"preview-{args.posts}-ours"
    plain = WORK / f"preview-{args.posts}-plain"
    for work in (ours, plain):
        discard(work)
        work.mkdir(parents=True)
    for name in ("pelicanconf.py",):
        shutil.copy(ROOT / name, ours / name)
    # Copies, not links: a checkout that changes while the benchmark runs must not trigger rebuilds.
    for name in ("theme", "plugins"):
        shutil.copytree(ROOT / name, ours / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (ours / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copytree(corpus(args.posts, "yaml"), ours / "content", ignore=shutil.ignore_patterns(".complete"))
    (plain / "pelicanconf.py").write_text(PLAIN_SETTINGS)
    shutil.copytree(corpus(args.posts, "pelican"), plain / "content", ignore=shutil.ignore_patterns(".complete"))
    name = newest_news(ours / "content")
    slug = name[:-3]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    procs = []
    try:
        t = time.perf_counter()
        procs.append(subprocess.Popen([sys.executable, "-m", "cchc.cli.cli", "devserver", "--port", str(port)],
                                      cwd=ours, env=env, stdout=(ours / "devserver.log").open("w"),
                                      stderr=subprocess.STDOUT, text=True, start_new_session=True))
        print(f"bench-preview: {args.posts} posts; edited post: {name}", file=sys.stderr, flush=True)
        wait(lambda: '"building": false' in fetch(f"{base}/__cchc/state.json"), 900)
        print(f"bench-preview: our first build {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
        procs.append(subprocess.Popen([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py",
                                       "-o", "output", "--autoreload", "--ignore-cache"],
                                      cwd=plain, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True))
        plain_page = plain / "output" / f"{slug}.html"
        wait(lambda: plain_page.exists() and (plain / "output" / "index.html").exists(), 600)
        # our fast path warms up in the background after the first build: time it once it is ready
        wait(lambda: '"warm": true' in fetch(f"{base}/__cchc/state.json"), 900)
        print(f"bench-preview: warm path ready, peer built; {time.perf_counter() - t:.1f} s", file=sys.stderr,
              flush=True)
        events = Events(base)
        time.sleep(0.5)
        page_url = f"/tin-tuc/{slug}/"
        rows = []
        for i in range(args.edits + 1):  # edit 0 warms both up and is not counted
            marker = f"sửa {i}"
            kind = KINDS[i % len(KINDS)]
            # ours
            post = ours / "content" / "tin-tuc" / name
            t0 = time.perf_counter()
            home_too = make_edit(kind, post, marker, i)
            t_page = wait(lambda marker=marker: marker in fetch(base + page_url) and time.perf_counter())
            t_home = (wait(lambda marker=marker: marker in fetch(base + "/") and time.perf_counter())
                      if home_too else t_page)
            t_event = wait(lambda t0=t0: events.first_after(t0, page_url))
            t_full = wait(lambda: '"building": false' in fetch(f"{base}/__cchc/state.json")
                          and time.perf_counter(), 600)
            ours_s = max(t_page, t_home, t_event) - t0
            # peer
            post = plain / "content" / "tin-tuc" / name
            t1 = time.perf_counter()
            make_edit(kind, post, marker, i)
            wait(lambda marker=marker: marker in plain_page.read_text(encoding="utf-8", errors="replace"), 600)
            if home_too:
                wait(lambda marker=marker: marker in (plain / "output" / "index.html").read_text(
                    encoding="utf-8", errors="replace"), 600)
            plain_s = time.perf_counter() - t1
            time.sleep(1.0)  # let Pelican finish writing the rest of its rebuild
            row = {"edit": i, "kind": kind, "ours_s": round(ours_s, 3), "ours_full_rebuild_s": round(t_full - t0, 2),
                   "plain_autoreload_s": round(plain_s, 3), "load": round(os.getloadavg()[0], 2)}
            print(f"bench-preview: edit {i} ({kind}): ours {ours_s:.3f} s (full build done {t_full - t0:.1f} s), "
                  f"pelican --autoreload {plain_s:.3f} s, load {row['load']}", file=sys.stderr, flush=True)
            if i:
                rows.append(row)
                write_results(args, rows, load_start, final=False)
    finally:
        for proc in procs:
            stop_group(proc)
    write_results(args, rows, load_start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
