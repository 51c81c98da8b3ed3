"""The build's second core (cchc.core.parallel, used by cchc_search's index stage): same site
either way, and a failed or killed child fails the build."""

import logging
import os
import subprocess
import sys
import time

import pytest

from cchc.core import parallel
from conftest import IN_CI, ROOT, build, files_of, make_project

SETTINGS = """import os, sys
sys.path.append(os.curdir)
from {base} import *  # noqa
CCHC_PARALLEL = {parallel}
CCHC_SEARCH = {{"SHARD_THRESHOLD": 2}}  # the sharded index too, small as the site is
CCHC_PAGECACHE = {{"PATH": ""}}  # each build renders every page: the rendering is compared
"""


@pytest.fixture(scope="module")
def two_cores():
    if not parallel.enabled():
        if IN_CI:
            pytest.fail("CI must have fork and two cores: the parallel build is not tested otherwise")
        pytest.skip("one core here: the build runs inline")


@pytest.mark.parametrize("base", ["pelicanconf", "publishconf"])
def test_site_is_byte_identical_with_and_without_child_processes(tmp_path, two_cores, base):
    """A child process writes the search data; the site must not depend on it (publish:
    sitemap, hashed assets and .br/.gz included)."""
    proj = make_project(tmp_path, ROOT / "content")
    trees = {}
    for flag in (True, False):
        (proj / "settings.py").write_text(SETTINGS.format(base=base, parallel=flag), encoding="utf-8")
        proc = build(proj, "--settings", "settings.py")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        trees[flag] = files_of(proj / "output")
    assert any(name.startswith("tim-kiem/du-lieu/shards/") for name in trees[True])
    assert len(trees[True]) > 50
    if base == "publishconf":
        sitemap = trees[True]["sitemap.xml"].decode()
        assert "/linh-vuc/" in sitemap and "/van-ban/" in sitemap
    assert trees[True] == trees[False]


def test_background_runs_in_another_process_and_returns_its_result(two_cores):
    job = parallel.Background(lambda a, b: (os.getpid(), a + b), 2, 3)
    pid, total = job.wait()
    assert pid != os.getpid() and total == 5
    pid, total = parallel.Background(lambda a, b: (os.getpid(), a + b), 2, 3, parallel=False).wait()
    assert pid == os.getpid() and total == 5


def _raise():
    raise ValueError("chỉ số không hợp lệ")


def test_failure_in_the_child_reaches_the_build(two_cores):
    with pytest.raises(parallel.ChildError, match="ValueError: chỉ số không hợp lệ"):
        parallel.Background(_raise).wait()
    with pytest.raises(parallel.ChildError, match="ended without a result"):
        parallel.Background(os._exit, 3).wait()


def test_bad_search_setting_fails_the_build_with_the_childs_error(tmp_path, two_cores):
    proj = make_project(tmp_path, ROOT / "content")
    (proj / "settings.py").write_text(
        SETTINGS.format(base="pelicanconf", parallel=True).replace('{"SHARD_THRESHOLD": 2}', '{"PASSAGE_WORDS": "30"}'),
        encoding="utf-8")
    proc = build(proj, "--settings", "settings.py")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "search index" in out and "TypeError" in out, out
    assert not (proj / "output").exists()


KILL_THE_INDEX_CHILD = """
import os, signal
from cchc.core import parallel
def _killed():
    os.kill(os.getpid(), signal.SIGKILL)  # first thing in the child: as the kernel's OOM killer would
parallel._in_child = _killed
"""


def test_a_killed_index_child_fails_the_build_loudly(tmp_path, two_cores):
    """The one parallel stage left: its child dying without a word must fail the build, with
    the stage named and the signal, and leave no site behind (no silent inline fallback)."""
    proj = make_project(tmp_path, ROOT / "content")
    (proj / "settings.py").write_text(SETTINGS.format(base="pelicanconf", parallel=True) + KILL_THE_INDEX_CHILD,
                                      encoding="utf-8")
    proc = build(proj, "--settings", "settings.py")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "cchc_search index" in out and "exit code -9" in out, out
    assert not (proj / "output").exists()


def _log_in_child():
    logging.getLogger("cchc_test").warning("xin chào từ tiến trình con")
    return [type(h).__name__ for h in logging.getLogger().handlers]


def test_child_logs_through_a_plain_handler(two_cores, capfd):
    """Not through the build's rich console, whose lock a thread of the parent may hold."""
    assert parallel.Background(_log_in_child).wait() == ["StreamHandler"]
    assert "WARNING cchc_test: xin chào từ tiến trình con" in capfd.readouterr().err


def _note_process(path):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {os.getppid()} {os.nice(0)}")


def test_forked_runs_beside_at_a_lower_priority(two_cores, tmp_path):
    note = tmp_path / "note"
    job = parallel.Forked(_note_process, note, nice=7)
    assert job.wait() is None
    pid, parent, nice = map(int, note.read_text(encoding="utf-8").split())
    assert pid != os.getpid() and parent == os.getpid() and nice == min(19, os.nice(0) + 7)
    parallel.Forked(_note_process, note, parallel=False).wait()  # inline: this process
    assert int(note.read_text(encoding="utf-8").split()[0]) == os.getpid()


def _fork_inside_a_daemon(path):
    parallel.Forked(_note_process, path).wait()
    return os.getpid()


def test_forked_from_the_index_child(two_cores, tmp_path):
    """The index child is a multiprocessing daemon, which may not start multiprocessing children."""
    note = tmp_path / "note"
    child = parallel.Background(_fork_inside_a_daemon, note).wait()
    assert int(note.read_text(encoding="utf-8").split()[1]) == child != os.getpid()


def test_a_failed_or_killed_fork_raises(two_cores):
    with pytest.raises(parallel.ChildError, match="(?s)cchc_test: .*ValueError: chỉ số không hợp lệ"):
        parallel.Forked(_raise, name="cchc_test").wait()
    with pytest.raises(parallel.ChildError, match="ended without a result .*: 3"):
        parallel.Forked(os._exit, 3).wait()


ORPHAN = """
import os, sys, time
from cchc.core import parallel
def note_and_sleep(path):
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))
    time.sleep(60)
parallel.Forked(note_and_sleep, sys.argv[1])
deadline = time.time() + 30
while time.time() < deadline and not (os.path.exists(sys.argv[1]) and os.path.getsize(sys.argv[1])):
    time.sleep(0.02)
os._exit(0)  # gone without waiting, as a build stopped by Ctrl+C or killed
"""


def test_a_fork_dies_with_the_process_that_made_it(two_cores, tmp_path):
    """A build stopped meanwhile leaves no writer recreating folders it has deleted."""
    note = tmp_path / "pid"
    proc = subprocess.run([sys.executable, "-c", ORPHAN, str(note)], env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
                          timeout=60)
    assert proc.returncode == 0
    pid = int(note.read_text(encoding="utf-8"))
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        try:  # reaped by init as a zombie at most: see whether it still runs
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except OSError:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        pytest.fail("the forked process outlived the process that made it")


def test_child_settings_switch():
    assert parallel.enabled({"CCHC_PARALLEL": False}) is False


@pytest.mark.parametrize("plugins, words", [
    ('PLUGINS = [p for p in PLUGINS if p != "cchc_feeds"]; PLUGINS.insert(1, "cchc_feeds")',
     "“cchc_feeds” phải đứng sau “cchc_listings”"),
    ('PLUGINS = [p for p in PLUGINS if p != "cchc_opendata"] + ["cchc_precompress", "cchc_opendata"]',
     "“cchc_precompress” phải đứng cuối cùng"),
    ('PLUGINS = [p for p in PLUGINS if p != "cchc_search"]; PLUGINS.insert(0, "cchc_search")',
     "“cchc_search” phải đứng sau “cchc_content”"),
])
def test_a_wrong_plugin_order_stops_the_build(tmp_path, plugins, words):
    """Each plugin checks its own place in PLUGINS when the build starts; a wrong one is an error."""
    proj = make_project(tmp_path, ROOT / "content")
    (proj / "settings.py").write_text(f"import os, sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *  # noqa\n{plugins}\n",
                                      encoding="utf-8")
    proc = build(proj, "--settings", "settings.py")
    assert proc.returncode != 0
    assert words in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert not (proj / "output").exists()


# What each plugin requires of its place (as its check_order declares it).
ORDER = {"cchc_feeds": {"after": ("cchc_listings",)}, "cchc_opendata": {"after": ("cchc_documents",)},
         "cchc_search": {"after": ("cchc_content",)}, "cchc_precompress": {"last": True}}


def test_the_shipped_plugin_lists_are_in_order():
    import runpy

    from cchc.core.settings import order_problems
    from conftest import ROOT as root

    for conf in ("pelicanconf.py", "publishconf.py"):
        plugins = runpy.run_path(str(root / conf))["PLUGINS"]
        for plugin, needs in ORDER.items():
            assert order_problems(plugins, plugin, **needs) == [], (conf, plugin)
    assert order_problems(["cchc_opendata", "cchc_documents"], "cchc_opendata", after=("cchc_documents",)) == [
        "“cchc_opendata” phải đứng sau “cchc_documents”"]
    assert order_problems(["cchc_precompress", "cchc_seo"], "cchc_precompress", last=True) == [
        "“cchc_precompress” phải đứng cuối cùng"]


_BUILD = """import subprocess, sys
from cchc.cli.build import build
if {fork}:
    def _no_interpreter(*args, **kwargs):
        raise AssertionError("a forked build started a new interpreter: " + repr(args[0])[:80])
    subprocess.Popen = _no_interpreter
build("content", "pelicanconf.py", "output", fork={fork})
"""


def test_pelican_forked_from_the_build_process_builds_what_a_fresh_interpreter_builds(tmp_path):
    """`cchc build` runs Pelican in a fork of itself (what it imported is reused) when every
    module it holds that the project's plugins/ also has came from there; the site is the one
    a fresh Pelican builds."""
    from cchc.cli.build import _forkable

    proj = make_project(tmp_path, ROOT / "content")
    assert _forkable(str((proj / "plugins").resolve()))  # the project links this checkout's plugins
    other = tmp_path / "other-checkout" / "plugins"
    (other / "cchc_not_imported_here").mkdir(parents=True)
    assert _forkable(str(other))  # nothing imported here is that folder's
    (other.parent / "src" / "cchc").mkdir(parents=True)
    assert not _forkable(str(other))  # its src/cchc is not the one imported: a fresh interpreter
    trees = {}
    for fork in (True, False):
        proc = subprocess.run([sys.executable, "-c", _BUILD.format(fork=fork)], cwd=proj, capture_output=True,
                              text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "plugins")))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        trees[fork] = files_of(proj / "output")
    assert len(trees[True]) > 50
    assert trees[True] == trees[False]
