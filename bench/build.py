"""`make bench-build`: time our full build against plain Pelican and against the pipeline a team
would assemble for the same job (plain Pelican, then Pagefind indexing its output), on the same Markdown.

    python -m bench.build --sizes 2000,10000,30000     # PYTHONPATH=src:plugins:.

For each size, the seed corpus is generated twice (bench/corpora/, ignored by git): with
our YAML front matter for our site, and with Pelican's ``Key: value`` metadata for plain
Pelican 4 with its default theme (notmyidea). "pair" is plain Pelican followed by
``pagefind --site`` on its output (Pagefind pinned from PyPI in requirements-bench.txt, as
bench-search uses it), timed as one command. All are built in the same run, alternately,
``--repeat`` times each (default 3, the median counts), each time into a folder that never
existed, so machine load and the disk affect both alike. Measured per build: wall time and
CPU time (user + system, every process of the build), peak memory of the build process tree
(ru_maxrss of waited-for children), output size and file count, and the time of a rebuild
after editing one post: into the same folder (after an untimed first one, then ``--rebuilds``
times, default 3, the median counts; the peers once) and, as CI builds after a merge, into a
folder that does not exist with ``.cache/`` kept (ours, ``--rebuilds`` times). Results go to
bench/results/build.json and are printed as a table, after the cost of loading the
administrative-unit registry (``units_cost``: every check and build pays it once per process).
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

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "bench" / "corpora"
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results" / "build.json"

# Runs one command and reports the peak RSS of its process tree (children that were waited for).
_MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime,
                  "peak_rss_mb": ru.ru_maxrss / 1024}))
"""

# Loads cchc.core.units' registry once: CPU, wall, peak and kept memory of the load alone (the
# module and what it imports, sqlite3 among them, come first, so only the data is counted).
_UNITS = """
import json, resource, time
from cchc.core import units

def rss_kb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() // 1024

before, peak_before = rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu, wall = time.process_time(), time.perf_counter()
reg = units.registry()
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(json.dumps({"cpu_s": cpu, "wall_s": wall, "units": len(reg.units), "links": len(reg.links),
                  "version": reg.version, "kept_mb": (rss_kb() - before) / 1024,
                  "peak_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024}))
"""

# The pair: Pelican, then Pagefind on its output (argv: output folder, then the Pelican command).
_PAIR = """
import subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
if rc == 0:
    rc = subprocess.run([sys.executable, "-m", "pagefind", "--site", sys.argv[1]],
                        stdout=subprocess.DEVNULL).returncode
sys.exit(rc)
"""

PLAIN_SETTINGS = '''# Plain Pelican, default theme and settings: the benchmark peer.
SITENAME = "CCHC benchmark (plain Pelican)"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
LOAD_CONTENT_CACHE = False
'''


# The generated corpus has no pages (content/pages/). Before 845749e the menu and footer linked to
# them anyway (the only broken links of its publish build); since then a page that is missing is
# not linked and this matches nothing. Kept for `make bench-build-commits` on older commits:
# `make publish`'s link check runs in ours_publish with just those left out, so it parses and
# resolves everything else as on a real site.
PUBLISH_IGNORE = [r"/(gioi-thieu|lien-he|tuyen-bo-tro-nang|en/about|en/contact)/$"]


def corpus(count, fmt):
    """The generated corpus folder (generated once, reused while the generator is unchanged)."""
    from bench.corpus import generate

    path = CORPORA / f"{count}-{fmt}"
    stamp = path / ".complete"
    if not stamp.exists():
        shutil.rmtree(path, ignore_errors=True)
        generate(count, path, fmt=fmt)
        stamp.write_text("ok\n")
    return path


def measure(cmd, cwd, env, allow_fail=False):
    """Run *cmd* in *cwd*; return wall time and peak memory (fails loudly on a failed build)."""
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["rc"] != 0 and not allow_fail:
        raise SystemExit(f"bench: build failed in {cwd}: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return result


def units_cost(repeat=3):
    """The registry's load cost, medians of *repeat* fresh processes: {cpu_s, wall_s, kept_mb, peak_mb, …}."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("CCHC_UNITS_DATA", None)
    runs = [json.loads(subprocess.run([sys.executable, "-c", _UNITS], env=env, capture_output=True, text=True,
                                      check=True).stdout) for _ in range(repeat)]
    out = {k: round(statistics.median(r[k] for r in runs), 3) for k in ("cpu_s", "wall_s", "kept_mb", "peak_mb")}
    out.update({k: runs[0][k] for k in ("units", "links", "version")}, runs=repeat)
    return out


def units_line(cost):
    return (f"Danh mục đơn vị hành chính ({cost['version']}, {cost['units']} đơn vị, {cost['links']} liên kết): "
            f"nạp mất {cost['cpu_s']:.2f} s CPU ({cost['wall_s']:.2f} s), giữ {cost['kept_mb']:.0f} MB, "
            f"đỉnh {cost['peak_mb']:.0f} MB; mỗi tiến trình kiểm tra hay xây dựng nạp một lần")


def tree_size(path):
    files = [p for p in Path(path).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


TRASH = WORK / ".trash"


def discard(path):
    """Move *path* out of the way; it is deleted at the end of the run, not now.

    Deleting thousands of files right before a timed build slows the build down: ext4 will
    not hand out an inode it freed seconds ago, and scanning past them made file creation
    many times slower (seen with perf: recently_deleted in __ext4_new_inode). The peer
    built next to a fresh deletion would be measured on a different disk than ours."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{path.name}-{time.time_ns()}")


def setup_ours(count, variant="ours", source=ROOT):
    """A work folder building the corpus with the settings, theme and plugins of *source* (this
    checkout, or a worktree of another commit: bench.by_commit)."""
    work = WORK / f"{count}-{variant}"
    discard(work)
    work.mkdir(parents=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(source / name, work / name)
    for name in ("theme", "plugins", "src"):  # src/: the library, since the move out of plugins/
        if (source / name).exists():
            (work / name).symlink_to(source / name)
    shutil.copytree(corpus(count, "yaml"), work / "content", ignore=shutil.ignore_patterns(".complete"))
    return work


def setup_plain(count, variant="plain"):
    work = WORK / f"{count}-{variant}"
    discard(work)
    work.mkdir(parents=True)
    (work / "pelicanconf.py").write_text(PLAIN_SETTINGS)
    shutil.copytree(corpus(count, "pelican"), work / "content", ignore=shutil.ignore_patterns(".complete"))
    return work


def edit_one_post(work):
    post = sorted((work / "content" / "tin-tuc").glob("*.md"))[0]
    with post.open("a", encoding="utf-8") as fh:
        fh.write("\nĐoạn văn thêm vào khi đo thời gian xây dựng lại.\n")


def run_size(count, variants, repeat, peers=("plain", "pair"), rebuilds=3):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]), COLUMNS="120")

    def command(name, output):
        plain = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", output, "--ignore-cache"]
        if name == "plain":
            return plain
        if name == "pair":  # Pelican, then Pagefind on what it wrote: one timed command
            return [sys.executable, "-c", _PAIR, output, *plain]
        settings = "publishconf.py" if name == "ours_publish" else "pelicanconf.py"
        # The corpus keeps the sample ORGANISATION and address: allowed, as `make publish ALLOW_EXAMPLE=1`.
        # And the link check, as `make publish` runs it (see PUBLISH_IGNORE).
        extra = ["--allow-example", "--linkcheck", *[a for p in PUBLISH_IGNORE for a in ("--linkcheck-ignore", p)]] \
            if name == "ours_publish" else []
        return [sys.executable, "-m", "cchc.cli.cli", "build", "--settings", settings, *extra, "--output", output]

    row = {"posts": count, "repeat": repeat}
    # Each build has its own folder, so a rebuild finds its own previous output (as `make` would).
    works = {name: setup_plain(count, name) for name in peers}
    for v in variants:
        works[v] = setup_ours(count, v)
    # Full builds into folders that never existed, peer first, then ours, *repeat* rounds;
    # the median counts. The first round writes output/, which the rebuild then updates.
    # Every full build of ours is cold, as on a fresh clone: its .cache/ (content, pages,
    # compiled templates, compressed twins, link records) is put aside first. Until 07/12/2026
    # rounds 2 and 3 reused the first round's content cache; since the page cache they would
    # be rebuilds, which are measured apart below (after the last round, caches warm).
    runs = {name: [] for name in works}
    for n in range(repeat):
        for name in [*peers, *variants]:
            output = "output" if n == 0 else f"output-{n}"
            if name in variants:
                discard(works[name] / ".cache")
            runs[name].append(measure(command(name, output), works[name], env))
            print(f"bench: {count} posts, {name}: {runs[name][-1]['wall_s']:.1f} s", file=sys.stderr,
                  flush=True)
    for name in [*peers, *variants]:
        size, files = tree_size(works[name] / "output")
        full = statistics.median(r["wall_s"] for r in runs[name])
        cpu = statistics.median(r["cpu_s"] for r in runs[name])
        row[name] = {"full_s": round(full, 2), "full_cpu_s": round(cpu, 2),
                     "full_s_each": [round(r["wall_s"], 2) for r in runs[name]],
                     "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs[name]), 1),
                     "output_bytes": size, "output_files": files}
    # Edit one post and rebuild into the same folder, as `make html` on a working copy: a first
    # rebuild untimed (it deletes the tree the cold build's swap set aside: cchc/cli/build.py), then
    # `rebuilds` timed ones, each after an edit; the median counts. The peers once (context).
    for work in works.values():
        edit_one_post(work)
    for name in [*peers, *variants]:
        measure(command(name, "output"), works[name], env)
    times = {name: [] for name in works}
    for n in range(rebuilds):
        for name in [*peers, *variants] if n == 0 else variants:
            edit_one_post(works[name])
            times[name].append(measure(command(name, "output"), works[name], env)["wall_s"])
    for name, each in times.items():
        row[name]["rebuild_one_edit_s"] = round(statistics.median(each), 2)
        row[name]["rebuild_one_edit_s_each"] = [round(t, 2) for t in each]
    # As CI builds after a merge (deploy/gitlab-ci.yml keeps .cache/ between pipelines, not the
    # output): one post edited, then built into a folder that does not exist. Ours only.
    fresh = {name: [] for name in variants}
    for _ in range(rebuilds):
        for name in variants:
            edit_one_post(works[name])
            for leftover in ("output-ci", ".output-ci-digests"):
                if (works[name] / leftover).exists():
                    discard(works[name] / leftover)
            fresh[name].append(measure(command(name, "output-ci"), works[name], env)["wall_s"])
    for name, each in fresh.items():
        row[name]["rebuild_fresh_output_s"] = round(statistics.median(each), 2)
        row[name]["rebuild_fresh_output_s_each"] = [round(t, 2) for t in each]
    if "ours_publish" in works:
        # The link check alone, as `cchc linkcheck` runs it (no cache: every page parsed), for
        # comparison with earlier runs; ours_publish's own check uses .cache/links/.
        check = measure([sys.executable, "-m", "cchc.cli.cli", "linkcheck", "output",
                         *[a for p in PUBLISH_IGNORE for a in ("--ignore", p)]], works["ours_publish"], env)
        row["ours_publish"]["linkcheck_s"] = round(check["wall_s"], 2)
    for v in [name for name in ("pair", *variants) if "plain" in peers and name in works]:
        row[f"ratio_{v}_vs_plain"] = round(row[v]["full_s"] / row["plain"]["full_s"], 2)
        # CPU time is steadier than wall time on a machine shared with other jobs.
        row[f"cpu_ratio_{v}_vs_plain"] = round(row[v]["full_cpu_s"] / row["plain"]["full_cpu_s"], 2)
    for v in variants:  # the targets of issue 34: against the pair, publish against our html
        if "pair" in peers:
            row[f"ratio_{v}_vs_pair"] = round(row[v]["full_s"] / row["pair"]["full_s"], 2)
            row[f"cpu_ratio_{v}_vs_pair"] = round(row[v]["full_cpu_s"] / row["pair"]["full_cpu_s"], 2)
        row[f"rebuild_ratio_{v}"] = round(row[v]["rebuild_one_edit_s"] / row[v]["full_s"], 2)
        row[f"rebuild_fresh_ratio_{v}"] = round(row[v]["rebuild_fresh_output_s"] / row[v]["full_s"], 2)
    if "ours" in variants and "ours_publish" in variants:
        row["ratio_publish_vs_html"] = round(row["ours_publish"]["full_s"] / row["ours"]["full_s"], 2)
    return row


def table(rows, variants):
    head = (f"{'posts':>6} | {'build':<13} | {'full s':>7} | {'vs pair':>7} | {'cpu s':>6} | {'cpu vs pair':>11} | "
            f"{'rebuild s':>9} | {'peak MB':>8} | {'output MB':>9} | {'files':>6}")
    lines = [head, "-" * len(head)]
    for row in rows:
        for name in [n for n in ("plain", "pair", *variants) if n in row]:
            r = row[name]
            pair = row.get("pair")
            ratio = f"{r['full_s'] / pair['full_s']:.2f}" if pair else "-"
            cpu_ratio = f"{r['full_cpu_s'] / pair['full_cpu_s']:.2f}" if pair else "-"
            lines.append(f"{row['posts']:>6} | {name:<13} | {r['full_s']:>7.1f} | {ratio:>7} | "
                         f"{r['full_cpu_s']:>6.1f} | {cpu_ratio:>11} | "
                         f"{r['rebuild_one_edit_s']:>9.1f} | {r['peak_rss_mb']:>8.0f} | "
                         f"{r['output_bytes'] / 1e6:>9.1f} | {r['output_files']:>6}")
        if "ratio_publish_vs_html" in row:
            lines.append(f"{row['posts']:>6} | publish / html: {row['ratio_publish_vs_html']:.2f}; rebuild / cold: "
                         + ", ".join(f"{v} {row[f'rebuild_ratio_{v}']:.2f}" for v in variants)
                         + "; into a fresh output/ (CI): "
                         + ", ".join(f"{v} {row[f'rebuild_fresh_ratio_{v}']:.2f} "
                                     f"({row[v]['rebuild_fresh_output_s']:.1f} s)" for v in variants))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,10000,30000", help="comma-separated post counts")
    ap.add_argument("--variants", default="ours,ours_publish",
                    help="ours (pelicanconf.py), ours_publish (publishconf.py: sitemap, precompression…)")
    ap.add_argument("--peers", default="plain,pair",
                    help="the peers built beside ours (plain, pair); empty for ours alone")
    ap.add_argument("--repeat", type=int, default=3, help="full builds of each kind per size (median)")
    ap.add_argument("--rebuilds", type=int, default=3, help="timed rebuilds of ours after one edit (median)")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    variants = [v for v in args.variants.split(",") if v]
    import pelican

    load = os.getloadavg()
    units = units_cost()
    print(units_line(units), file=sys.stderr, flush=True)
    try:
        peers = [p for p in args.peers.split(",") if p]
        rows = [run_size(n, variants, args.repeat, peers, args.rebuilds) for n in sizes]
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)  # after the timing (see discard)
    result = {
        "machine": {"cpus": os.cpu_count(), "loadavg_at_start": [round(x, 2) for x in load],
                    "python": platform.python_version(), "pelican": pelican.__version__,
                    "note": "plain = Pelican default theme and settings on the same posts; pair = plain, "
                            "then pagefind --site on its output; ratio = wall time, cpu ratio = user+sys "
                            "time of the build processes"},
        "targets": "issue 34: ours (make html) <= 1.0x the pair's wall time and <= 1.5x its CPU; "
                   "ours_publish <= 1.3x ours; a rebuild after one edit <= 0.4x a cold build",
        "units_registry": units,
        "runs": rows,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(units_line(units))
    print(table(rows, variants))
    for row in rows:
        if "linkcheck_s" in row.get("ours_publish", {}):
            took = row["ours_publish"]["linkcheck_s"]
            print(f"{row['posts']:>6} posts: cchc linkcheck of the publish output took {took:.1f} s")
    print(f"\nKết quả: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
