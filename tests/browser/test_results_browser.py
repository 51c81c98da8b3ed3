"""Issue 27: the targets dashboard against results, as a citizen sees it in Chromium at 390 and
1366 px, and axe-core (WCAG 2.1 A/AA) on the dashboard, a plan with results and a report.

Built from the seed content plus tests/fixtures/results/ (test figures, not real results)."""

import json
import shutil
import threading

import pytest

from conftest import ROOT, build, make_project

FIXTURES = ROOT / "tests" / "fixtures" / "results"
PAGES = ["chi-tieu/", "ke-hoach/ke-hoach-kiem-thu-chi-tieu/", "bao-cao/bao-cao-kiem-thu-nam-2024-du-lieu-kiem-thu/"]
AXE = ("const done = arguments[arguments.length - 1];"
       "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
       ".then(r => done(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))))"
       ".catch(e => done([{id: 'axe-error', nodes: [String(e)]}]));")


@pytest.fixture(scope="module")
def results_server(tmp_path_factory):
    from cchc.cli.serve import make_server

    proj = make_project(tmp_path_factory.mktemp("results-browser"), ROOT / "content")
    for folder in ("ke-hoach", "bao-cao"):
        (proj / "content" / folder).mkdir(exist_ok=True)
        for f in (FIXTURES / folder).glob("*.md"):
            shutil.copy(f, proj / "content" / folder / f.name)
    proc = build(proj, env={"CCHC_NOW": "2026-03-01T12:00:00+07:00"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    httpd = make_server(proj / "output", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def _phone_window_afterwards(request):
    yield
    if "browser" in request.fixturenames:
        request.getfixturevalue("browser").set_window_size(390, 844)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_dashboard_reads_at_phone_and_desktop_width(browser, results_server, node_modules, width):
    browser.set_window_size(width, 900)
    browser.get(f"{results_server}/chi-tieu/")
    assert browser.execute_script("return innerWidth") == width
    seen = browser.execute_script("""
      const s = document.querySelector('section[aria-labelledby=chi-tieu-hai-long]');
      const svg = s.querySelector('figure svg').getBoundingClientRect();
      const status = [...s.querySelectorAll('tbody .c-status')].map(e => {
        const r = e.getBoundingClientRect(); return [e.innerText, r.width > 0 && r.height > 0];});
      const texts = [...s.querySelectorAll('figure svg text')];
      const small = Math.min(...texts.map(t => t.getBoundingClientRect().height));
      return {scroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
              svg: [svg.left, svg.right], status, small,
              trend: [...s.querySelectorAll('.c-trend svg')].map(e => {
                const r = e.getBoundingClientRect(); return [r.left, r.right, r.height > 100];})};""")
    assert seen["scroll"][0] <= seen["scroll"][1], seen  # nothing scrolls sideways
    assert 0 <= seen["svg"][0] and seen["svg"][1] <= width, seen  # the chart fits the screen
    assert seen["small"] >= 12, seen  # chart text stays readable (px), the chart over time's too
    assert seen["trend"] and all(0 <= l and r <= width and tall for l, r, tall in seen["trend"]), seen
    assert ["Đạt", True] in seen["status"] and ["Chưa đến hạn", True] in seen["status"], seen
    browser.execute_script((node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    violations = browser.execute_async_script(AXE)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES[1:])
def test_plan_and_report_pages_pass_axe(browser, results_server, node_modules, path):
    browser.get(f"{results_server}/{path}")
    browser.execute_script((node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    violations = browser.execute_async_script(AXE)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
