"""`make bench-hostile`: how long hostile posts take as they grow, before and at the bounds.

    python -m bench.hostile [--quick]      # PYTHONPATH=src:plugins:.

Every input of issue 33's part 6 that made a staff command slow is generated here at growing
sizes (nothing is committed) and timed in this process:

- ``check``: ``schema.read_document`` on the whole post, the per-post work of `cchc check` and of
  the build's reader before any conversion (front matter, schema, the bounds of
  ``cchc.core.markdown_limits`` and ``frontmatter``), plus ``sanitize.body_findings`` (the check's
  sanitiser report) when the post passes. It must grow linearly: the ``ratio`` column is the time
  at this size over the time at the previous one, against the ratio of the sizes.
- ``convert``: Python-Markdown with the build's settings on the body, run only where the check
  accepts it (the largest accepted input is the worst the build will ever convert) and, for the
  shapes that were superlinear, at a few small sizes past the bound so the growth the bound cuts
  off is on record.

A refused input says so (``refused``); its line and message are the tests' business
(tests/site/test_hostile_build.py). Results: bench/results/hostile.json, with the machine's load
average before and after (a shared machine: compare ratios within one run, not absolute times).
"""

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "hostile.json"

HEAD = """---
type: tin-tuc
title: "Tin thử"
date: 25/11/2021
summary: "Tóm tắt."
locality: "Huyện Tam Dương"
areas: [thu-tuc-hanh-chinh]
{extra}---

"""


def post(body="Nội dung.", extra=""):
    return HEAD.format(extra=extra) + body + "\n"


def nested_list(levels):
    return "".join("    " * (i % 400) + "- mục\n" for i in range(levels))


# name → (what it is, post for size n, sizes for the check, sizes also converted)
SHAPES = {
    "brackets": ("n unclosed [ in one paragraph (the issue's 200,000 [ in 200 KB)",
                 lambda n: post("[" * n), [1_000, 1_400, 10_000, 50_000, 200_000], [500, 1_000, 1_400, 2_000, 4_000]),
    "unclosed-tags": ("n '<a ' never closed by >",
                      lambda n: post("<a " * n), [1_000, 10_000, 50_000, 200_000], [500, 1_000, 2_000, 4_000, 8_000]),
    "list-depth": ("a list nested n levels (4 spaces a level)",
                   lambda n: post(nested_list(n)), [20, 21, 100, 500], [10, 20, 100, 400]),
    "quote-depth": ("a blockquote nested n levels on one line",
                    lambda n: post("> " * n + "trích dẫn"), [20, 21, 1_000, 100_000], [20, 100, 250]),
    "definitions": ("n ': definition' lines in one paragraph",
                    lambda n: post("Thuật ngữ\n: định nghĩa\n" * n), [100, 101, 10_000, 100_000], [100, 400, 800]),
    "markdown-attribute": ("n nested <div markdown=\"1\"> lines",
                           lambda n: post('<div markdown="1">\n' * n), [20, 21, 10_000, 100_000], [20, 2_000, 8_000]),
    "yaml-flow-depth": ("tags: with n nested lists (50,000 [ was a SIGSEGV in libyaml)",
                        lambda n: post(extra=f"tags: {'[' * n}a{']' * n}\n"), [19, 20, 1_000, 50_000, 300_000], []),
    "yaml-dashes": ("tags: with n '- ' on one line (block nesting)",
                    lambda n: post(extra="tags:\n  " + "- " * n + "a\n"), [19, 20, 10_000, 100_000], []),
    "yaml-spaces": ("a broken front-matter line of n spaces (the hint helper was quadratic)",
                    lambda n: post(extra="a" + " " * n + "b\n"), [15_000, 30_000, 60_000, 120_000, 480_000], []),
    "sanitiser-findings": ("n lines <span onclick=…> (each one a finding of the check)",
                           lambda n: post("".join(f"<span onclick=x>a{i}</span>\n\n" for i in range(n))),
                           [1_000, 2_000, 4_000, 8_000], []),
    "flat-list": ("a flat list of n items (linear, slow per item: for scale; 130,000 is the 1 MB limit)",
                  lambda n: post("- mục\n" * n), [10_000, 40_000, 120_000], [10_000, 40_000, 120_000]),
    "plain-text": ("n paragraphs of ordinary text (for scale)",
                   lambda n: post("Đây là một đoạn văn bình thường với vài chữ và số 179/KH-UBND. \n\n" * n),
                   [1_000, 4_000, 12_000], [1_000, 4_000, 12_000]),
}


def _time(fn, repeat):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def check_time(text, repeat):
    from cchc.core import sanitize
    from cchc.core.schema import ContentError, read_document

    def run():
        try:
            doc = read_document("content/tin-tuc/a.md", text)
        except ContentError as exc:
            return exc.problems
        sanitize.body_findings(doc.body, doc.body_line)
        return []

    seconds, problems = _time(run, repeat)
    return seconds, [str(p)[:120] for p in problems]


def convert_time(text, repeat):
    from markdown import Markdown

    from cchc.core import sanitize
    from cchc.core.frontmatter import split

    body = split(text)[1]
    md = Markdown(**sanitize.MARKDOWN)

    def run():
        md.reset()
        try:
            md.convert(body)
            return None
        except RecursionError:
            return "RecursionError"

    return _time(run, repeat)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="one run per measure, skip the largest sizes")
    ap.add_argument("--only", default="", help="comma-separated shapes")
    args = ap.parse_args(argv)
    repeat = 1 if args.quick else 3
    shapes = {k: v for k, v in SHAPES.items() if not args.only or k in args.only.split(",")}
    out = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.platform(),
           "python": platform.python_version(), "cpus": os.cpu_count(), "load_before": os.getloadavg(),
           "shapes": {}}
    for name, (what, make, check_sizes, convert_sizes) in shapes.items():
        if args.quick:
            check_sizes = check_sizes[:-1] or check_sizes
        rows, previous = [], None
        for n in check_sizes:
            text = make(n)
            seconds, problems = check_time(text, repeat)
            row = {"n": n, "bytes": len(text.encode()), "check_s": round(seconds, 4),
                   "refused": bool(problems), "message": problems[0] if problems else None}
            if previous and previous["check_s"] > 0.001:
                row["ratio"] = f"{seconds / previous['check_s']:.1f} for ×{n / previous['n']:g}"
            rows.append(row)
            previous = row
            print(f"{name:20} n={n:<8} check {seconds:8.3f} s {'refused' if problems else 'accepted':9}"
                  f" {row.get('ratio', '')}", flush=True)
        converted = []
        for n in convert_sizes:
            text = make(n)
            seconds, failure = convert_time(text, 1 if n == convert_sizes[-1] else repeat)
            accepted = not check_time(text, 1)[1]
            converted.append({"n": n, "convert_s": round(seconds, 4), "accepted_by_check": accepted,
                              "failure": failure})
            print(f"{name:20} n={n:<8} convert {seconds:6.3f} s {'accepted' if accepted else 'refused':9}"
                  f" {failure or ''}", flush=True)
        out["shapes"][name] = {"what": what, "check": rows, "convert": converted}
    out["load_after"] = os.getloadavg()
    if not args.only:
        RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"→ {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
