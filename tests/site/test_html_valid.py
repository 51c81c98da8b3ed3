"""The Nu HTML Checker (vnu) finds 0 errors in every built HTML page."""

from conftest import ROOT, html_files, make_project, nu_check, publish_build
from test_documents_browser import PAGES as DOCUMENT_PAGES


def published_site(tmp_path):
    """content/ built for production (absolute SITEURL under a subpath, hashed assets, OG tags)."""
    proj = make_project(tmp_path, ROOT / "content")
    proc = publish_build(proj, "https://cchc.example.gov.vn/cchc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj / "output"


def test_vnu_reports_no_errors(site, node_modules, tmp_path):
    pages = html_files(site)
    assert len(pages) > 30
    assert {site / p / "index.html" for p in DOCUMENT_PAGES} <= set(pages)  # the document page types
    published = html_files(published_site(tmp_path))
    assert len(published) >= len(pages)
    messages, code = nu_check(node_modules, pages + published)
    errors = [(m.get("url", ""), m.get("lastLine"), m.get("message")) for m in messages]
    assert errors == [], "\n".join(map(str, errors[:30]))
    assert code == 0
