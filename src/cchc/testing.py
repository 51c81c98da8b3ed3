"""Fixtures for the tests beside each plugin (plugins/cchc_*/test_*.py), as pelican.tests.support.

A pytest plugin (pyproject.toml loads it with ``-p cchc.testing``), not a conftest.py in plugins/:
the tests in tests/ import their helpers with ``from conftest import …``, and a second conftest
module would take that name.

As in pelican-plugins (sitemap, search), a plugin's own tests build a tiny site in this process
with Pelican's API (``read_settings`` + ``Pelican(settings).run()``, in a fork of the test
process: see build_in_process) and read what it wrote.
The tiny site is the repository's own content/ (20 files: news, plans, pages, legal documents)
plus the reports, plan and indicator file of tests/fixtures/results, an
imported post with old addresses and a post dated in the future, built once per test session with the development
settings (``dev_site``) and once with the production ones (``publish_site``). The end-to-end
tests of the whole portal (the staff CLI, browsers, web servers) stay in tests/.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the checkout: src/cchc/testing.py
if str(ROOT / "plugins") not in sys.path:  # the plugins' tests import their plugin's module
    sys.path.insert(0, str(ROOT / "plugins"))

SITEURL = "https://cchc.example.gov.vn"


def build_in_process(proj, settings_file, output, **override):
    """Build *proj*'s content/ with *settings_file* into *output* with Pelican's API; returns *output*.

    The build runs in a fork of this process: Pelican connects each plugin's handlers to its
    global signals, so a second build in the same process (say, the development settings after
    the production ones) would also run the first one's plugins. publishconf.py imports
    pelicanconf from the current folder (as `make publish` runs it): the child works in *proj*."""
    from pelican import Pelican
    from pelican.settings import read_settings

    pid = os.fork()
    if pid == 0:  # the child: build, report through the exit status, never return into pytest
        code = 1
        try:
            os.chdir(proj)
            settings = read_settings(str(proj / settings_file), override={
                "PATH": str(proj / "content"),
                "OUTPUT_PATH": str(output),
                "CACHE_CONTENT": False,
                "LOAD_CONTENT_CACHE": False,
                "CCHC_TEMPLATE_CACHE": str(proj / ".cache" / "templates"),
                **override,
            })
            Pelican(settings).run()
            code = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"the build of {proj} with {settings_file} failed (see above)"
    return Path(output)


def tiny_project(folder):
    """A project folder: our settings, theme and plugins, content/ and one results report."""
    proj = Path(folder)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, proj / name)
    for name in ("theme", "plugins", "src"):
        (proj / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "content", proj / "content")
    report = ROOT / "tests" / "fixtures" / "results"
    if report.is_dir():  # a report with results against a plan's targets (issue 27)
        for src in sorted(p for p in report.rglob("*") if p.is_file() and p.name != "README.md"):
            dest = proj / "content" / src.relative_to(report)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists():
                shutil.copy(src, dest)
    news = proj / "content" / "tin-tuc"
    # An imported item with the old portal's addresses (cchc_redirects) …
    (news / "tin-chuyen-tu-cong-cu.md").write_text(POST.format(
        title="Tin chuyển từ cổng cũ", date="25/11/2021", extra=(
            'old_paths:\n  - "/portal/cchc/tin-cu-so-70"\n'
            '  - "/Pages/View_Detail.aspx?ItemID=70"\n')), encoding="utf-8")
    # … and one dated in the future, held back until a build on or after its date (cchc_schedule).
    (news / "tin-hen-gio.md").write_text(POST.format(
        title="Tin hẹn giờ đăng", date="01/01/2099", extra=""), encoding="utf-8")
    return proj


POST = """---
type: tin-tuc
title: "{title}"
date: {date}
summary: "Tóm tắt của bài."
locality: "Huyện Tam Dương"
areas: [thu-tuc-hanh-chinh]
{extra}---

Nội dung của bài.
"""


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory):
    return tiny_project(tmp_path_factory.mktemp("tiny-site"))


@pytest.fixture(scope="session")
def dev_site(tiny_site):
    """The tiny site built with pelicanconf.py (as `make html`)."""
    return build_in_process(tiny_site, "pelicanconf.py", tiny_site / "output-dev")


@pytest.fixture(scope="session")
def publish_site(tiny_site):
    """The tiny site built with publishconf.py for an absolute SITEURL (as `make publish`)."""
    return build_in_process(tiny_site, "publishconf.py", tiny_site / "output-publish",
                            SITEURL=SITEURL)


@pytest.fixture(scope="session")
def siteurl():
    """The SITEURL of ``publish_site``."""
    return SITEURL


@pytest.fixture(scope="session")
def build_site():
    """``build_site(proj, settings_file, output, **override)``: another build (build_in_process)."""
    return build_in_process
