"""The Nu HTML Checker (vnu) finds 0 errors in every built HTML page."""

import json
import shutil
import subprocess

from conftest import ROOT, _need, html_files, make_project, publish_build


def published_site(tmp_path):
    """content/ built for production (absolute SITEURL under a subpath, hashed assets, OG tags)."""
    proj = make_project(tmp_path, ROOT / "content")
    proc = publish_build(proj, "https://cchc.example.gov.vn/cchc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj / "output"


def test_vnu_reports_no_errors(site, node_modules, tmp_path):
    java = shutil.which("java")
    if not java:
        _need("java", "Nu HTML checker")
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert jar.exists(), "npm ci should have installed vnu-jar"
    pages = [str(p) for p in html_files(site)]
    assert len(pages) > 30
    published = [str(p) for p in html_files(published_site(tmp_path))]
    assert len(published) >= len(pages)
    pages += published
    proc = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(proc.stderr or '{"messages": []}')
    errors = [
        (m.get("url", ""), m.get("lastLine"), m.get("message"))
        for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(map(str, errors[:30]))
    assert proc.returncode == 0
