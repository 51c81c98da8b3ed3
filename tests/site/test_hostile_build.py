"""Every input `make check` accepts, the build survives (issue 33, part 6).

Each hostile input either fails `cchc check` and the build's own check with a Vietnamese message
at file:line, or builds; never a traceback, a crash, a segfault or a hang. The inputs are
generated here, not committed. How long the pathological ones take, as they grow, is measured by
`make bench-hostile` (bench/hostile.py), not here: no test depends on the machine's speed.
"""

import os
import subprocess
import sys

import pytest

from conftest import ROOT, make_project, run_cchc

NEWS = """---
type: tin-tuc
title: "{title}"
date: 25/11/2021
summary: "Tóm tắt."
locality: "Huyện Mẫu"
areas: [thu-tuc-hanh-chinh]
{extra}---

{body}
"""


def news(title="Tin mẫu", body="Nội dung.", extra=""):
    return NEWS.format(title=title, body=body, extra=extra)


def write(proj, rel, text):
    path = proj / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors(proc):
    return [line for line in proc.stderr.splitlines() if line.startswith("LỖI ")]


def no_traceback(proc):
    out = proc.stdout + proc.stderr
    return "Traceback" not in out and "không mong đợi" not in out


def run_guarded(proj, *args, timeout=300):
    """`cchc …` in a fresh interpreter that the test can give up on: an input that makes a
    command hang fails the test at *timeout* instead of stopping the suite (a guard, not a
    measure: nothing here takes more than a few seconds when it works)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]),
               COLUMNS="200")
    try:
        return subprocess.run([sys.executable, "-m", "cchc.cli.cli", *map(str, args)], cwd=proj, env=env,
                              capture_output=True, text=True, timeout=timeout, start_new_session=True)
    except subprocess.TimeoutExpired:
        pytest.fail(f"cchc {' '.join(map(str, args))} did not finish in {timeout} s")


def build_guarded(proj):
    return run_guarded(proj, "build", "--content", "content", "--output", "output")


# Files that are not posts -----------------------------------------------------------------

@pytest.mark.parametrize("where", ["tin-tuc/ong.md", "images/ong.png"])
def test_fifo_in_content_is_refused_not_waited_on(tmp_path, where):
    proj = make_project(tmp_path)
    write(proj, "tin-tuc/a.md", news())
    (proj / "content" / where).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(proj / "content" / where)
    for proc in (run_cchc("check", "content", cwd=proj), build_guarded(proj)):
        assert proc.returncode == 1
        assert f"LỖI content/{where}: không phải tệp thường" in proc.stderr, proc.stderr
        assert no_traceback(proc), proc.stderr
    assert not (proj / "output").exists()


def test_symlinked_post_out_of_content_is_refused(tmp_path):
    proj = make_project(tmp_path)
    write(proj, "tin-tuc/a.md", news())
    outside = tmp_path / "ngoai.md"
    outside.write_text(news("Bài ngoài"), encoding="utf-8")
    (proj / "content" / "tin-tuc" / "ngoai.md").symlink_to(outside)
    for proc in (run_cchc("check", "content", cwd=proj), build_guarded(proj)):
        assert proc.returncode == 1
        (line,) = [e for e in errors(proc) if "ngoai.md" in e]
        assert line.startswith("LỖI content/tin-tuc/ngoai.md: liên kết tượng trưng (symlink) trỏ ra ngoài")
        assert no_traceback(proc), proc.stderr


def test_the_build_itself_never_opens_a_fifo_post(tmp_path):
    """Plain `pelican` (no `cchc check` in front): the reader refuses the FIFO without opening it
    for reading, and the build stops with the message instead of waiting for a writer."""
    proj = make_project(tmp_path)
    write(proj, "tin-tuc/a.md", news())
    os.mkfifo(proj / "content" / "tin-tuc" / "ong.md")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]),
               COLUMNS="400")
    try:
        proc = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out",
                               "--log-handler", "plain"], cwd=proj, env=env, capture_output=True, text=True,
                              timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail("pelican waited on the FIFO")
    assert proc.returncode != 0
    assert "cchc_content: content/tin-tuc/ong.md: không phải tệp thường" in proc.stdout + proc.stderr
