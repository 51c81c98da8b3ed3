"""The new page types pass axe-core (WCAG 2.1 A/AA) in Chromium.

The Nu HTML checker reads them with every other page of the build (tests/site/test_html_valid.py,
which checks that PAGES are among them)."""

import json

import pytest

PAGES = [
    "van-ban/",
    "van-ban/theo-ngay/",
    "van-ban/179-kh-ubnd/",  # filled in by a plan record
    "van-ban/16-nq-tu/",  # known only from a mention
    "chi-tieu/",
    "du-lieu-mo/",
    "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/",  # linked bases
    "tin-tuc/quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025/",  # body links
]


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(browser, server, node_modules, path):
    axe = (node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    browser.get(f"{server}/{path}")
    browser.execute_script(axe)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))))"
        ".catch(e => done([{id: 'axe-error', nodes: [String(e)]}]));"
    )
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)
