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


def _counted_build(proj, calls, out, env=None):
    """`cchc build` in a fork of this test, every real validation of a post (schema._read_document,
    in the build process and in Pelican's fork of it) appended to *calls* → [path, …]."""
    import os

    calls.write_text("", encoding="utf-8")
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.chdir(proj)
            os.environ.update(env or {})
            from cchc.cli import cli
            from cchc.core import schema

            real = schema._read_document

            def counted(path, text):
                with open(calls, "a", encoding="utf-8") as fh:
                    fh.write(f"{path}\n")
                return real(path, text)

            schema._read_document = counted
            code = cli.main(["build", "--content", "content", "--output", str(out), "--settings", "pelicanconf.py"])
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert (out / "index.html").is_file()
    return calls.read_text(encoding="utf-8").splitlines()


def test_a_build_validates_each_post_once(tmp_path):
    """`cchc build` reads and checks every post once (issue 32), cold or warm: the posts Pelican's
    reader will read are validated before Pelican is forked, and the staff check beside the build
    and the reader in the fork take each Document kept then (cchc.core.schema.keep_documents);
    in a rebuild the posts whose bytes did not change are the last build's Documents (issue 34),
    so only the edited one is validated. The build runs in a fork of this test so nothing it
    patches or connects outlives it."""
    proj = make_project(tmp_path, ROOT / "content")
    calls, out = tmp_path / "validated.txt", proj / "output"
    posts = sorted(str(p.relative_to(proj)) for p in (proj / "content").rglob("*.md"))
    paths = _counted_build(proj, calls, out)
    assert sorted(set(paths)) == posts
    assert len(paths) == len(posts), sorted(p for p in paths if paths.count(p) > 1)[:6]
    edited = proj / next(p for p in posts if "/tin-tuc/" in p)
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMột đoạn thêm.\n", encoding="utf-8")
    paths = _counted_build(proj, calls, out)
    # The others are the last build's Documents (.cache/documents.pickle, by their text's digest).
    assert paths == [str(edited.relative_to(proj))]
    assert "Một đoạn thêm." in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    # Another day (a result dated after today is an error): every post is validated again, once.
    paths = _counted_build(proj, calls, out, env={"CCHC_NOW": "2031-01-01T08:00:00+07:00"})
    assert sorted(paths) == posts, sorted(p for p in paths if paths.count(p) > 1)[:6]
