"""The staff CLI: `cchc new` writes a ready-to-edit file and never overwrites; the Makefile wraps it."""

import re
import subprocess

import pytest

from conftest import ROOT, build, make_project, run_cchc


@pytest.mark.parametrize("kind, folder", [("tin", "tin-tuc"), ("ke-hoach", "ke-hoach")])
def test_new_writes_template_and_never_overwrites(tmp_path, kind, folder):
    proc = run_cchc("new", kind, "Đẩy mạnh cải cách", "--content", "content", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "content" / folder / "day-manh-cai-cach.md"
    text = path.read_text(encoding="utf-8")
    assert "title: 'Đẩy mạnh cải cách'" in text
    assert re.search(r"^id: [0-9a-f-]{36}$", text, re.M)
    path.write_text(text + "\nđã sửa\n", encoding="utf-8")
    again = run_cchc("new", kind, "Đẩy mạnh cải cách", "--content", "content", cwd=tmp_path)
    assert again.returncode == 1
    assert "không ghi đè" in again.stderr
    assert path.read_text(encoding="utf-8").endswith("đã sửa\n")


def test_new_post_once_filled_in_passes_check_and_builds(tmp_path):
    proj = make_project(tmp_path)
    run_cchc("new", "tin", "Tin thử nghiệm", "--content", "content", cwd=proj, check=True)
    path = proj / "content" / "tin-tuc" / "tin-thu-nghiem.md"
    # untouched, the template is ready to edit but not to publish: check says what is missing
    proc = run_cchc("check", "content", cwd=proj)
    assert proc.returncode == 1
    assert "“summary”" in proc.stderr and "“locality”" in proc.stderr and "câu mẫu" in proc.stderr
    text = path.read_text(encoding="utf-8")
    text = text.replace('summary: ""', 'summary: "Tóm tắt."').replace('locality: ""', "locality: Huyện Tam Dương")
    text = text.replace("areas: []", "areas: [the-che]")
    text = text.replace("Viết nội dung tin ở đây.", "Nội dung thật của tin.")
    path.write_text(text, encoding="utf-8")
    assert run_cchc("check", "content", cwd=proj).returncode == 0
    proc = build(proj)
    assert proc.returncode == 0, proc.stderr
    page = proj / "output" / "tin-tuc" / "tin-thu-nghiem" / "index.html"
    assert "Tin thử nghiệm" in page.read_text(encoding="utf-8")


def test_makefile_targets_exist():
    # `make new` itself, with hostile titles, runs in tests/site/test_staff_check.py
    out = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True)
    for target in ("html", "test", "check", "fix-nfc", "new", "serve", "devserver", "regenerate", "publish",
                   "import"):
        assert f"make {target}" in out.stdout


def test_build_prints_only_our_lines_not_pelicans_english_summary(tmp_path):
    """Issue 31 (quiet commands): `make html` ends with the Vietnamese line, not Pelican's
    "Done: Processed 9 articles, 0 drafts…"."""
    proj = make_project(tmp_path, ROOT / "content")
    proc = build(proj)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Đã xây dựng trang vào" in out
    assert "Done: Processed" not in out, out
