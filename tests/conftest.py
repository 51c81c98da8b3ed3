"""Shared fixtures: real Pelican builds, a local HTTP server and headless Chromium."""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT / "tests" / "fixtures" / "legacy"  # the old portals' pages (see its README)
SEEDS = LEGACY / "seeds"
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "src"))
# tests/unit (no build), tests/site (real builds and CLI runs), tests/browser (Chromium): some
# test modules share tables with one in another folder (`from test_import import …`).
for _kind in ("unit", "site", "browser"):
    sys.path.insert(0, str(ROOT / "tests" / _kind))

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# `make test` (as CI runs it) starts pytest from make: every `make …` a test runs would then be a
# sub-make (MAKELEVEL, the outer run's MAKEFLAGS and jobserver), printing "make[1]: Entering
# directory" lines staff never see. Staff type make in a shell: tests run it as they do.
for _name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR"):
    os.environ.pop(_name, None)


def ctrl_c_as_in_a_terminal():
    """``preexec_fn`` of a command a test sends Ctrl+C: SIGINT's default action, as a command typed
    in a terminal has. A test run started in the background by a shell without job control
    (nohup … &, some CI runners) inherits SIGINT ignored, and every process it starts would too."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


_runner = None  # cchc_runner.Runner, started by the first run_cchc of the session


def run_cchc(*args, cwd=ROOT, check=False, env=None):
    """Run the staff CLI as a user would; returns CompletedProcess with text output.

    Each run is its own process (forked from one that imported the CLI once: cchc_runner);
    with CCHC_TEST_SUBPROCESS=1, a fresh ``python -m cchc.cli.cli`` each time.
    *env*: extra environment variables for this run only (e.g. {"SITEURL": …})."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), COLUMNS="200", **(env or {}))
    args = [str(a) for a in args]
    plugins = Path(cwd) / "plugins"
    if (_runner is not None and os.environ.get("CCHC_TEST_SUBPROCESS") != "1"
            and (not plugins.exists() or plugins.resolve() == ROOT / "plugins")):
        proc = _runner.run(args, cwd, env)
    else:
        proc = subprocess.run(
            [sys.executable, "-m", "cchc.cli.cli", *args],
            cwd=cwd, env=env, capture_output=True, text=True, check=False,
        )
    if check and proc.returncode != 0:
        raise AssertionError(f"cchc {' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


# Set for the session by _template_cache: where test projects keep compiled templates.
TEMPLATE_CACHE = None
# Appended to a test project's pelicanconf.py (publishconf.py and the tests' own settings import it).
# Compiling the theme's templates is half of a small build's time; a template whose source
# changed is compiled again (the cache is keyed by its checksum), so the output is the same.
_CACHE_SETTINGS = """
# tests/conftest.py: test projects share compiled templates (cchc_theme's template cache).
CCHC_TEMPLATE_CACHE = {cache!r}
"""


@pytest.fixture(scope="session", autouse=True)
def _template_cache(tmp_path_factory):
    global TEMPLATE_CACHE
    TEMPLATE_CACHE = tmp_path_factory.mktemp("templates")
    yield TEMPLATE_CACHE
    TEMPLATE_CACHE = None


@pytest.fixture(scope="session", autouse=True)
def _cchc_runner(tmp_path_factory):
    global _runner
    from cchc_runner import Runner

    _runner = Runner(tmp_path_factory.mktemp("cchc-runs"))
    yield _runner
    _runner.close()
    _runner = None


def make_project(tmp_path, content_src=None, makefile=False):
    """A throwaway project dir: our settings, theme and plugins, plus a content tree.

    With *makefile*, also the Makefile and the installed .venv/, so `make …` runs there
    as in a checkout. Run make there with ``-o .venv/bin/.installed -o node_modules/.installed``
    (see test_staff_check.NO_INSTALL): the .venv/ and node_modules/ are this checkout's own."""
    proj = tmp_path / "proj"
    proj.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, proj / name)
    if TEMPLATE_CACHE is not None:
        with open(proj / "pelicanconf.py", "a", encoding="utf-8") as fh:
            fh.write(_CACHE_SETTINGS.format(cache=str(TEMPLATE_CACHE)))
    if makefile:
        for name in ("Makefile", "requirements.txt", "requirements-data.txt", "requirements-dev.txt", "pyproject.toml",
                     "package.json", "package-lock.json"):
            shutil.copy2(ROOT / name, proj / name)
        (proj / ".venv").symlink_to(ROOT / ".venv")
    for name in ("theme", "plugins"):
        (proj / name).symlink_to(ROOT / name)
    if (ROOT / "node_modules").is_dir():
        (proj / "node_modules").symlink_to(ROOT / "node_modules")  # npm packages a build copies (decap-cms)
    if content_src is not None:
        shutil.copytree(content_src, proj / "content")
    else:
        (proj / "content").mkdir()
    return proj


def build(proj, *extra, allow_example=True, env=None):
    """`cchc build` inside *proj*; returns the CompletedProcess.

    Test projects keep the sample ORGANISATION and example.gov.vn addresses, which a
    production build (publishconf.py) refuses: tests pass ``--allow-example``, as
    `make publish ALLOW_EXAMPLE=1` does. Pass allow_example=False to see the refusal."""
    flags = ("--allow-example",) if allow_example else ()
    return run_cchc("build", "--content", "content", "--output", "output", *flags, *extra,
                    cwd=proj, env=env)


def publish_build(proj, siteurl, *extra, settings="publishconf.py", allow_example=True, env=None):
    """A production build of *proj* for *siteurl*, like `make publish ALLOW_EXAMPLE=1 SITEURL=…`.

    The one way tests ask for a publish build: SITEURL goes to this run's environment only."""
    return build(proj, "--settings", settings, *extra, allow_example=allow_example,
                 env={"SITEURL": siteurl, **(env or {})})


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real content/ built once with the development settings."""
    proj = make_project(tmp_path_factory.mktemp("site"), ROOT / "content")
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj / "output"


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on 127.0.0.1 (ephemeral port)."""
    from cchc.cli.serve import make_server

    httpd = make_server(site, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _need(what, why):
    if IN_CI:
        pytest.fail(f"{what} is required in CI ({why}); .ci/run installs it")
    pytest.skip(f"{what} not installed ({why})")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through chromedriver. Fails (never skips) when CI=true."""
    driver = start_chromium()
    yield driver
    driver.quit()


def start_chromium(prefs=None, args=()):
    """A headless Chromium at 390×844 (*prefs*: Chrome preferences, e.g. JavaScript off;
    *args*: more command-line switches, e.g. --host-resolver-rules)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        _need("chromium + chromedriver", "browser tests")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=390,844", *args):
        opts.add_argument(flag)
    if prefs:
        opts.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="session")
def node_modules():
    """Path to node_modules (installed by `make test`)."""
    path = ROOT / "node_modules"
    if not (path / "axe-core").is_dir():
        _need("node_modules (npm ci)", "axe-core, vnu-jar")
    return path


def html_files(root):
    return sorted(p for p in Path(root).rglob("*.html"))


def files_of(root):
    """Every file below *root* → its bytes, by its path relative to *root*: what "the same
    output" and "output left as it was" compare."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def nu_check(node_modules, files):
    """The Nu HTML checker (vnu.jar) on *files* in one run → (its messages, exit code).

    One Java start for many files: starting the checker costs more than checking a page.
    A run this short is quicker with Java's first compiler only, which needs a larger stack."""
    java = shutil.which("java")
    if not java:
        _need("java", "Nu HTML checker")
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert jar.exists(), "npm ci should have installed vnu-jar"
    proc = subprocess.run(
        [java, "-XX:TieredStopAtLevel=1", "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json",
         *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    return json.loads(proc.stderr or '{"messages": []}')["messages"], proc.returncode


# Test files that run the staff's whole commands end to end: `make` targets, publish, the dev
# server and the editor's backend, builds killed or starved on purpose, hostile sites, cache
# rebuilds, the fork pipeline. Each start of make, a server or a killed build costs seconds;
# `make test` (and CI) runs them, `make test-fast` (``-m "not browser and not slow"``) leaves
# them out to stay a quick loop.
SLOW_FILES = {
    "test_build_kills.py", "test_content_cache.py", "test_deploy_build.py", "test_deploy_publish.py", "test_page_cache.py",
    "test_devserver.py", "test_hostile_build.py", "test_parallel.py", "test_security.py",
    "test_staff_check.py", "test_studio_backend.py",
}


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is marked ``browser``, whether or not it says so:
    `make test-fast` must never start one. Tests in SLOW_FILES are marked ``slow``."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
