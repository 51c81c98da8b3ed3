"""Builds that die at any moment (issue 12): killed at random points (fixed seed), a build
never leaves output/ missing, never leaves a process behind, and the next build removes what
the killed one left; two builds at once in one checkout both succeed, the second waiting."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from conftest import ROOT, make_project

SEED = 20261201
KILLS = 6


def _project(tmp_path):
    """A small site (two posts): the test is about the build's life, not its size."""
    proj = make_project(tmp_path)
    news = proj / "content" / "tin-tuc"
    news.mkdir()
    for i in (1, 2):
        (news / f"tin-{i}.md").write_text(
            f'---\ntype: tin-tuc\ntitle: "Tin số {i}"\nslug: tin-{i}\ndate: 0{i}/01/2024\n'
            f'locality: Huyện Tam Dương\nsummary: "Tóm tắt {i}."\nareas: [the-che]\n---\n\nNội dung {i}.\n',
            encoding="utf-8")
    return proj


def _start(proj, tag):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), COLUMNS="200", CCHC_TEST_BUILD=tag)
    # Its own session, like a terminal job: the test kills the whole group, as Ctrl-C or a CI
    # timeout would (SIGKILL: nothing of the build gets to clean up).
    return subprocess.Popen(
        [sys.executable, "-m", "cchc.cli.cli", "build", "--content", "content", "--output", "output"],
        cwd=proj, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _processes(tag):
    """PIDs of every process started for the build tagged *tag* (its environment says so)."""
    mark = f"CCHC_TEST_BUILD={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _gone(tag, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        left = _processes(tag)
        if not left:
            return []
        time.sleep(0.05)
    return left


def test_killed_builds_leave_nothing_broken(tmp_path):
    proj = _project(tmp_path)
    start = time.monotonic()
    first = _start(proj, "first")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, out + err
    duration = time.monotonic() - start
    index = proj / "output" / "index.html"
    reference = index.read_bytes()

    missing = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if not index.is_file():
                missing.append(time.monotonic())
            time.sleep(0.002)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    rng = random.Random(SEED)
    survivors = {}
    try:
        for n in range(KILLS):
            tag = uuid.uuid4().hex
            proc = _start(proj, tag)
            time.sleep(rng.uniform(0.05, duration))
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
            left = _gone(tag)
            if left:
                survivors[n] = left
                for pid in left:  # do not leave them running on a shared machine
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        # Two builds at once in the same checkout: both succeed, the second waits for the first.
        tags = [uuid.uuid4().hex, uuid.uuid4().hex]
        procs = [_start(proj, tag) for tag in tags]
        results = [p.communicate(timeout=300) for p in procs]
    finally:
        stop.set()
        watcher.join()
    assert not survivors, f"processes outlived their killed build: {survivors}"
    assert not missing, f"output/index.html missing {len(missing)} times"
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, out + err
        assert "Traceback" not in out + err
    assert any("Đang chờ: một lần xây dựng khác đang ghi vào output/" in err for _out, err in results)
    assert index.read_bytes() == reference
    # What is left beside output/: the one tree the last swap replaced, for the next build to
    # delete, and the folders of the one before it, without a file (cchc.cli.build.frame_of).
    left = sorted(p.name for p in proj.iterdir() if p.name.startswith(".output.") and p.name != ".output.frame")
    assert len(left) == 1 and left[0].startswith(".output.old-"), f"leftovers of killed builds: {left}"
    assert not [p for p in (proj / ".output.frame").rglob("*") if not p.is_dir()]


def test_each_build_deletes_the_tree_the_last_one_replaced(tmp_path, monkeypatch):
    """A rebuild sets the replaced site aside (deleting it would hold the rebuild up) and the
    next build deletes it while Pelican runs: one old tree at most, never a growing pile."""
    from cchc.cli import build as build_mod

    proj = _project(tmp_path)
    monkeypatch.chdir(proj)
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "plugins"))
    aside = []
    for _ in range(4):
        build_mod.build("content", "pelicanconf.py", "output")
        aside.append(sorted(p.name for p in proj.iterdir() if p.name.startswith(".output.")))
    assert aside[0] == [], aside
    # From the second rebuild on, the tree before last is kept as folders alone (the frame the
    # next build writes into), never more than one.
    assert aside[1][0].startswith(".output.old-") and aside[1][1:] == [], aside
    for names in aside[2:]:
        assert names[0] == ".output.frame" and len(names) == 2 and names[1].startswith(".output.old-"), aside
        assert not [p for p in (proj / names[0]).rglob("*") if not p.is_dir()]
    assert len({names[-1] for names in aside[1:]}) == 3, "a rebuild kept the last one's old tree"
    assert (proj / aside[3][1] / "index.html").is_file()  # the previous site, whole


def test_output_exists_at_every_step_of_the_swap(tmp_path, monkeypatch):
    """Whatever the swap renames, output/ exists right after each step: a kill at any of them
    leaves a site (the old one or the new one)."""
    from cchc.cli import build as build_mod

    proj = _project(tmp_path)
    monkeypatch.chdir(proj)
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "plugins"))
    build_mod.build("content", "pelicanconf.py", "output")
    output = proj / "output"
    steps = []
    real_rename, real_exchange = Path.rename, build_mod._exchange

    def rename(self, target):
        result = real_rename(self, target)
        steps.append(("rename", output.is_dir()))
        return result

    def exchange(a, b):
        result = real_exchange(a, b)
        steps.append(("exchange", output.is_dir()))
        return result

    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(build_mod, "_exchange", exchange)
    build_mod.build("content", "pelicanconf.py", "output")
    assert steps and all(present for _step, present in steps), steps
    assert (output / "index.html").is_file()


def test_a_failed_pelican_leaves_no_worker_writing(tmp_path, monkeypatch):
    """Pelican fails (a full disk) while a worker it forked (the search index child) is still
    writing into the new tree: the build stops the worker before it deletes that tree, so no
    .output.new-* folder comes back behind it (CI saw one after a disk-full build)."""
    from cchc.cli import build as build_mod

    monkeypatch.chdir(tmp_path)
    # A stand-in Pelican: forks a worker that writes into the build folder a moment later,
    # and fails at once, as Pelican does when the disk is full.
    script = 'out="$1"; (sleep 0.5; mkdir -p "$out/tim-kiem"; touch "$out/tim-kiem/late.json") & exit 1'

    def start(argv, plugins, fork, out=None, err=None):
        target = argv[argv.index("-o") + 1]
        return subprocess.Popen(["sh", "-c", script, "sh", target], stdout=out, stderr=err,
                                start_new_session=True)

    monkeypatch.setattr(build_mod, "_start_pelican", start)
    for meanwhile in (None, lambda: True):  # cchc build passes its check as *meanwhile*
        try:
            build_mod.build("content", "pelicanconf.py", "output", meanwhile=meanwhile)
        except build_mod.BuildFailed:
            pass
        else:
            raise AssertionError("a Pelican that failed gave a build")
        time.sleep(1.0)
        left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".output."))
        assert left == [], f"a worker of the failed build wrote after it ended: {left}"
