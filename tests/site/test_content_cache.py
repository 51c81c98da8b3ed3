"""Pelican's content cache (cchc_content.content_cache): a rebuild that reuses it writes exactly
what a cold build writes, whatever changed in between, and a damaged cache never breaks a build."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build, files_of, make_project

COLD = """import os, sys
sys.path.append(os.curdir)
from pelicanconf import *  # noqa
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
CCHC_PAGECACHE = {"PATH": ""}  # cold: no page from an earlier build either
CCHC_SEARCH = {"CACHE": ""}  # nor a search record
CCHC_DOCUMENTS = {"CACHE": ""}  # nor what the registry read from a post
"""
NEWS = "content/tin-tuc"


def _cached_and_cold(proj, settings="pelicanconf.py", extra=""):
    """(files of a build that may use the cache, files of a cold build) of the same project."""
    if extra:
        base = (proj / "pelicanconf.py").read_text(encoding="utf-8")
        (proj / "pelicanconf.py").write_text(base + extra, encoding="utf-8")
    proc = build(proj, "--settings", settings)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cached = files_of(proj / "output")
    (proj / "cold.py").write_text(COLD, encoding="utf-8")
    proc = build(proj, "--settings", "cold.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return cached, files_of(proj / "output")


def _cache_files(proj):
    return [p for p in (proj / ".cache" / "content").rglob("*Generator-Readers")]


def test_a_rebuild_after_an_edit_is_the_cold_build(tmp_path):
    proj = make_project(tmp_path, ROOT / "content")
    assert build(proj).returncode == 0
    assert _cache_files(proj), "the first build fills the cache"
    post = sorted((proj / NEWS).glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8").replace("\n---\n", "\n---\n\nĐoạn mở đầu mới.\n\n", 1),
                    encoding="utf-8")
    cached, cold = _cached_and_cold(proj)
    assert any("Đoạn mở đầu mới." in data.decode("utf-8", "replace") for data in cached.values())
    assert cached == cold


def test_a_settings_change_is_not_served_from_the_cache(tmp_path):
    """The cached metadata holds objects that carry the settings (a category's URL): a changed
    URL pattern must reach every page, as in a cold build."""
    proj = make_project(tmp_path, ROOT / "content")
    assert build(proj).returncode == 0
    cached, cold = _cached_and_cold(proj, extra='\nCATEGORY_URL = "muc/{slug}/"\nCATEGORY_SAVE_AS = "muc/{slug}/index.html"\n')
    assert any('href="/muc/tin-tuc/"' in data.decode("utf-8", "replace") for data in cached.values())
    assert cached == cold


def test_a_changed_reader_code_gives_another_cache_folder(tmp_path):
    from cchc_content.content_cache import cache_key

    plugins = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins" / "cchc_content", plugins / "cchc_content")
    settings = {"PLUGIN_PATHS": [str(plugins)], "PATH": str(tmp_path), "STATIC_PATHS": ["files"]}
    before = cache_key(settings)
    assert cache_key(dict(settings)) == before
    reader = plugins / "cchc_content" / "cchc_content.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache_key(settings) != before


def _pelican(proj):
    """Plain Pelican in *proj* (the build's own check only: `cchc build` also runs the staff check)."""
    return subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out",
                           "--fatal", "errors"], cwd=proj, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")])))


def test_an_attachment_removed_since_the_last_build_still_fails_the_post(tmp_path):
    """A post's check looks for its attachment: a cached reading must not hide a missing file."""
    proj = make_project(tmp_path, ROOT / "content")
    (proj / "content" / "files").mkdir(exist_ok=True)
    (proj / "content" / "files" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    post = sorted((proj / NEWS).glob("*.md"))[0]
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("\n---\n", '\nattachment: {path: files/ke-hoach.pdf, title: "Kế hoạch"}\n---\n', 1),
                    encoding="utf-8")
    proc = _pelican(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (proj / "content" / "files" / "ke-hoach.pdf").unlink()
    proc = _pelican(proj)
    assert proc.returncode != 0
    assert "ke-hoach.pdf" in proc.stdout + proc.stderr


def test_a_cache_file_cut_short_by_a_killed_build_is_dropped(tmp_path):
    """Pelican writes its cache in place: a build killed while writing leaves a truncated file,
    which Pelican itself cannot load (EOFError). The next build starts without it."""
    proj = make_project(tmp_path, ROOT / "content")
    assert build(proj).returncode == 0
    for path in _cache_files(proj):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    cached, cold = _cached_and_cold(proj)
    assert cached == cold
    assert all(Path(p).stat().st_size > 0 for p in _cache_files(proj))
