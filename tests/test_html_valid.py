"""The Nu HTML Checker (vnu) finds 0 errors in every built HTML page."""

import json
import shutil
import subprocess

from conftest import _need, html_files


def test_vnu_reports_no_errors(site, node_modules):
    java = shutil.which("java")
    if not java:
        _need("java", "Nu HTML checker")
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert jar.exists(), "npm ci should have installed vnu-jar"
    pages = [str(p) for p in html_files(site)]
    assert len(pages) > 30
    proc = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(proc.stderr or '{"messages": []}')
    errors = [
        (m.get("url", "").split(str(site))[-1], m.get("lastLine"), m.get("message"))
        for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(map(str, errors[:30]))
    assert proc.returncode == 0
