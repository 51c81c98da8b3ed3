"""Every input `make check` accepts, the build survives (issue 33, part 6).

Each hostile input either fails `cchc check` and the build's own check with a Vietnamese message
at file:line, or builds; never a traceback, a crash, a segfault or a hang. The inputs are
generated here, not committed. How long the pathological ones take, as they grow, is measured by
`make bench-hostile` (bench/hostile.py), not here: no test depends on the machine's speed.
"""

import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, ctrl_c_as_in_a_terminal, make_project, run_cchc

NEWS = """---
type: tin-tuc
title: "{title}"
date: 25/11/2021
summary: "{summary}"
locality: "Huyện Tam Dương"
areas: [thu-tuc-hanh-chinh]
{extra}---

{body}
"""


def news(title="Tin mẫu", body="Nội dung.", extra="", summary="Tóm tắt."):
    return NEWS.format(title=title, body=body, extra=extra, summary=summary)


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


# Front matter that libyaml or the hint helper could not survive ----------------------------

def check_one(text, path="content/tin-tuc/a.md"):
    """The problems `cchc check` and the reader report for one post (the schema's own call)."""
    from cchc.core.schema import ContentError, read_document

    try:
        read_document(path, text)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return []


def _deep(n):
    return "[" * n + "a" + "]" * n


# (name, extra front matter, line of the message, words of the message)
FRONT_MATTER_CASES = [
    ("flow-21-levels", f"tags: {_deep(20)}\n", 8, "lồng nhau quá sâu (hơn 20 cấp)"),
    ("groups-21-levels", "image: " + "{a: " * 21 + "b" + "}" * 21 + "\n", 8, "lồng nhau quá sâu (hơn 20 cấp)"),
    ("block-21-levels", "tags:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 22)), 18,
     "lồng nhau quá sâu (hơn 20 cấp)"),
    ("1001-brackets", "tags: [" + ", ".join(["[a]"] * 1000) + "]\n", 8, "hơn 1.000 dấu [ và {"),
    ("indent-2001", "tags:\n" + " " * 2001 + "- a\n", 9, "dòng thụt lề hơn 2.000 ký tự"),
]


@pytest.mark.parametrize("case", FRONT_MATTER_CASES, ids=[c[0] for c in FRONT_MATTER_CASES])
def test_nesting_in_front_matter_is_refused_at_its_line(case):
    _name, extra, line, words = case
    problems = check_one(news(extra=extra))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/tin-tuc/a.md:{line}: ") and words in problems[0], problems


def test_schema_depth_is_accepted():
    """Three levels (legal bases with their fields), as every plan has, pass."""
    extra = "tags: [a, b]\nimage: {path: images/a.png, alt: Ảnh}\n"
    assert check_one(news(extra=extra)) == []


@pytest.mark.parametrize("head, line", [("tags: " + "[" * 50_000, 8), ("tags:\n  " + "- " * 50_000 + "a", 9)],
                         ids=["50000-open-brackets", "50000-dashes"])
def test_deep_yaml_is_refused_before_libyaml_sees_it(tmp_path, head, line):
    """libyaml's C parser recursed to a segfault (rc 139, no message) on 50,000 nested "[":
    check and build now stop at the line, in Vietnamese."""
    proj = make_project(tmp_path)
    write(proj, "tin-tuc/a.md", news(extra=head + "\n"))
    for proc in (run_guarded(proj, "check", "content"), build_guarded(proj)):
        assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
        (message,) = errors(proc)
        assert message.startswith(f"LỖI content/tin-tuc/a.md:{line}: các danh sách hay nhóm trường lồng nhau quá sâu")
        assert no_traceback(proc)


def test_a_60000_space_line_is_said_in_one_short_message():
    """A broken front-matter line of 60,000 spaces: the hint names its line and quotes it clipped
    (it quoted all 60,000 characters, after 13 s of a quadratic regular expression: the time is
    in `make bench-hostile`)."""
    problems = check_one(news(extra="a" + " " * 60_000 + "b\n"))
    assert len(problems) == 1
    assert problems[0].startswith("content/tin-tuc/a.md:8: dòng này không có dạng “tên trường: giá trị”")
    assert len(problems[0]) < 400, len(problems[0])


# Bodies Python-Markdown would convert in superlinear time or recurse too deep on -------------

def _nested_list(levels):
    return "".join("    " * i + "- mục\n" for i in range(levels))


# (name, body, line of the message (the body starts at line 10), words of the message)
BODY_CASES = [
    ("list-500-levels", _nested_list(500), 30, "lồng nhau 21 cấp, quá giới hạn 20 cấp"),
    ("quote-21-levels", "> " * 21 + "trích dẫn\n", 10, "lồng nhau 21 cấp, quá giới hạn 20 cấp"),
    ("markers-on-one-line", "1. " * 500 + "mục\n", 10, "lồng nhau 500 cấp"),
    ("markdown-attribute-21", '<div markdown="1">\n' * 21, 30, "lồng nhau 21 cấp"),
    ("200000-brackets", "[" * 200_000 + "\n", 10, "dấu [ ở dòng này (và các dấu [ khác) không có dấu ] đóng"),
    ("brackets-in-a-paragraph", "Mở đầu.\n\n" + "[a " * 2_000 + "\n", 12, "không có dấu ] đóng"),
    ("unclosed-tags", "Mở đầu.\n\n" + "<a " * 8_000 + "\n", 12, "dấu < ở dòng này (và các dấu < khác) mở một thẻ HTML"),
    ("unclosed-autolinks", "<http://a " * 8_000 + "\n", 10, "không được đóng bằng >"),
    ("definitions-101", "Thuật ngữ\n: định nghĩa\n" * 101, 211, "hơn 100 dòng định nghĩa"),
]


@pytest.mark.parametrize("case", BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_body_the_converter_cannot_take_is_refused_at_its_line(case):
    _name, body, line, words = case
    problems = check_one(news(body=body))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/tin-tuc/a.md:{line}: ") and words in problems[0], problems


@pytest.mark.parametrize("body", [
    _nested_list(20),  # 20 levels: the limit itself
    "> " * 20 + "trích dẫn\n",
    "Thuật ngữ\n: định nghĩa\n" * 100,
    "[liên kết](/tin-tuc/a/) " * 20_000,  # closed brackets cost their own length only
    "Tỷ lệ a<b và [1] chưa đóng, " + "chữ " * 20_000,  # a few unclosed ones in a long post
    '<table><tr><td markdown="1">*Ô*</td></tr></table>\n' * 2_000,  # closed tags are read once
    "```\n" + "[" * 50_000 + "\n" + "> " * 50 + "\n```\n",  # nothing in fenced code is converted
], ids=["20-levels", "20-quotes", "100-definitions", "many-links", "few-unclosed", "closed-tags", "fenced"])
def test_ordinary_bodies_are_within_the_bounds(body):
    assert check_one(news(body=body)) == []


@pytest.mark.parametrize("case", [c for c in BODY_CASES if c[0] in ("list-500-levels", "200000-brackets",
                                                                      "unclosed-tags", "definitions-101")],
                         ids=lambda c: c[0])
def test_check_refuses_the_body_with_one_line(tmp_path, case):
    _name, body, line, words = case
    proj = make_project(tmp_path)
    write(proj, "tin-tuc/a.md", news(body=body))
    proc = run_cchc("check", "content", cwd=proj)
    assert proc.returncode == 1
    (message,) = errors(proc)
    assert message.startswith(f"LỖI content/tin-tuc/a.md:{line}: ") and words in message
    assert no_traceback(proc)


def test_build_of_a_500_level_list_stops_with_the_message(tmp_path):
    """The build hit RecursionError in Python-Markdown (an English traceback); its own check
    (the reader, as plain `pelican` runs it) now refuses the post first."""
    proj = make_project(tmp_path)
    write(proj, "tin-tuc/a.md", news(body=_nested_list(500)))
    proc = build_guarded(proj)
    assert proc.returncode == 1
    assert errors(proc)[0].startswith("LỖI content/tin-tuc/a.md:30: danh sách hoặc trích dẫn (>) lồng nhau")
    assert no_traceback(proc), proc.stderr[-3000:]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]), COLUMNS="400")
    plain = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out",
                            "--log-handler", "plain"], cwd=proj, env=env, capture_output=True, text=True, timeout=300)
    assert plain.returncode != 0
    assert "cchc_content: content/tin-tuc/a.md:30: danh sách hoặc trích dẫn" in plain.stdout + plain.stderr
    assert "RecursionError" not in plain.stdout + plain.stderr


# Names too long for a file system ------------------------------------------------------------

LONG_TITLE = "Kế hoạch " + "cải cách hành chính nhà nước " * 9  # 260 characters, its slug 238
LONG_TAG = "Từ khóa " + "rất dài " * 36  # 300 characters


def test_long_slugs_are_shortened_stably_and_stay_apart():
    from cchc.core.schema import post_slug
    from cchc.core.text import MAX_SLUG, short_slug, slugify

    long_slug = slugify(LONG_TITLE)
    assert len(long_slug) > 230
    short = post_slug({"title": LONG_TITLE})
    assert len(short) <= MAX_SLUG and short == post_slug({"title": LONG_TITLE})  # stable
    assert short.startswith(long_slug[:150]) and short == short_slug(long_slug)
    other = post_slug({"title": LONG_TITLE + " năm 2025"})  # the same first 200 characters
    assert other != short and len(other) <= MAX_SLUG
    assert post_slug({"title": "Đẩy mạnh cải cách"}) == "day-manh-cai-cach"  # short ones unchanged
    from cchc.core import parse_doc_number

    assert len(parse_doc_number("1/QĐ-" + "A" * 300).slug) <= MAX_SLUG
    assert parse_doc_number("179/KH-UBND").slug == "179-kh-ubnd"


@pytest.mark.parametrize("extra, line, field, words", [
    ("slug: " + "-".join(["muc"] * 60) + "\n", 8, "slug", "quá giới hạn 200 ký tự của một đường dẫn"),
    ("old_paths: [/" + "a" * 300 + "]\n", 8, "old_paths", "dài 300 byte, quá giới hạn 200"),
], ids=["slug-field", "old-path-part"])
def test_names_staff_write_too_long_are_refused(extra, line, field, words):
    (problem,) = check_one(news(extra=extra))
    assert problem.startswith(f"content/tin-tuc/a.md:{line}: trường “{field}”") and words in problem, problem


def test_long_title_and_tag_build(tmp_path):
    """A 260-character title without slug and a 300-character tag made folder names the file
    system refused (ENAMETOOLONG, an English traceback); they build, under shortened names."""
    proj = make_project(tmp_path)
    write(proj, "tin-tuc/a.md", news(title=LONG_TITLE, extra=f"tags: [{LONG_TAG}]\n"))
    write(proj, "tin-tuc/b.md", news(title=LONG_TITLE + " năm 2025"))
    proc = build_guarded(proj)
    assert proc.returncode == 0, proc.stderr[-3000:]
    posts = sorted(p.name for p in (proj / "output" / "tin-tuc").iterdir() if p.is_dir())
    tags = [p.name for p in (proj / "output" / "tu-khoa").iterdir() if p.is_dir()]
    assert len(posts) == 2 and len(tags) == 1, (posts, tags)
    assert all(len(name) <= 200 for name in posts + tags)
    assert posts[0].startswith("ke-hoach-cai-cach-hanh-chinh-nha-nuoc-") and tags[0].startswith("tu-khoa-rat-dai-")


def test_make_new_with_a_very_long_title_writes_a_file_named_by_its_slug(tmp_path):
    title = LONG_TITLE + " giai đoạn 2021-2025 định hướng đến năm 2030"  # its slug: 280 characters
    proc = run_cchc("new", "ke-hoach", title, "--content", "content", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (path,) = (tmp_path / "content" / "ke-hoach").iterdir()
    from cchc.core.schema import post_slug

    assert path.name == post_slug({"title": title}) + ".md" and len(path.name) <= 203


# Document numbers that would share a page -------------------------------------------------

def _clash_tree(root, first, second):
    for name, kwargs in (("a", first), ("b", second)):
        write(root, f"tin-tuc/{name}.md", news(title=f"Bài {name}", **kwargs))


# (name, post a, post b, expected problems as "file:line: words")
NUMBER_CASES = [
    ("party-and-state-form", {"body": "Theo Nghị quyết 16-NQ/TU."}, {"body": "Theo Nghị quyết 16/NQ-TU."},
     ["content/tin-tuc/a.md:10: số ký hiệu “16-NQ/TU” và “16/NQ-TU” (content/tin-tuc/b.md:10)",
      "content/tin-tuc/b.md:10: số ký hiệu “16/NQ-TU” và “16-NQ/TU” (content/tin-tuc/a.md:10)"]),
    ("ampersand-and-dash", {"summary": "Theo Quyết định 45/QĐ-KH&ĐT."}, {"body": "Quyết định 45/QĐ-KH-ĐT."},
     ["content/tin-tuc/a.md:5: số ký hiệu “45/QĐ-KH&ĐT” và “45/QĐ-KH-ĐT” (content/tin-tuc/b.md:10)",
      "content/tin-tuc/b.md:10: số ký hiệu “45/QĐ-KH-ĐT” và “45/QĐ-KH&ĐT” (content/tin-tuc/a.md:5)"]),
    ("same-number-spaced", {"body": "Kế hoạch 179/KH-UBND."}, {"body": "Kế hoạch 179 / KH - UBND."}, []),
    ("clash-in-a-draft", {"body": "16-NQ/TU"}, {"body": "16/NQ-TU", "extra": "status: draft\n"}, []),
]


@pytest.mark.parametrize("case", NUMBER_CASES, ids=[c[0] for c in NUMBER_CASES])
def test_numbers_sharing_a_page_are_named_in_both_files(tmp_path, monkeypatch, case):
    from cchc.core.schema import check_tree

    _name, first, second, expected = case
    _clash_tree(tmp_path, first, second)
    monkeypatch.chdir(tmp_path)  # messages name paths as staff see them, from the project folder
    _docs, problems = check_tree("content")
    found = sorted(str(p) for p in problems)
    assert len(found) == len(expected), found
    for line, want in zip(found, expected):
        assert line.startswith(want) and "cùng một trang văn bản /van-ban/" in line, (line, want)


def test_build_stops_on_numbers_sharing_a_page(tmp_path):
    """Pelican stopped with FileOverwriteFailedError (an English traceback) writing the second
    /van-ban/16-nq-tu/; `cchc build` and plain `pelican` now stop with the message."""
    proj = make_project(tmp_path)
    _clash_tree(proj, *NUMBER_CASES[0][1:3])
    proc = build_guarded(proj)
    assert proc.returncode == 1
    assert [e[4:90] for e in errors(proc)] == [e[:86] for e in NUMBER_CASES[0][3]]
    assert no_traceback(proc) and not (proj / "output").exists()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]), COLUMNS="400")
    plain = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out",
                            "--log-handler", "plain"], cwd=proj, env=env, capture_output=True, text=True, timeout=300)
    assert plain.returncode != 0
    assert "cchc_documents: content/tin-tuc/a.md:10: số ký hiệu “16-NQ/TU”" in plain.stdout + plain.stderr
    assert "FileOverwriteFailedError" not in plain.stdout + plain.stderr


# Disk full, read-only, interrupted: one or two Vietnamese lines, output/ as it was ----------



def _small_project(tmp_path):
    proj = make_project(tmp_path)
    for n in ("a", "b"):
        write(proj, f"tin-tuc/{n}.md", news(title=f"Bài {n}"))
    return proj


def _tree(root):
    """{relative path: digest} of every file under *root* (what a user would find there)."""
    return {str(p.relative_to(root)): hashlib.blake2b(p.read_bytes()).hexdigest()
            for p in sorted(Path(root).rglob("*")) if p.is_file()}


def _leftovers(proj):
    return sorted(p.name for p in proj.iterdir() if p.name.startswith((".output.new-", ".output.old")))




def test_file_too_large_during_build_is_one_line_and_keeps_output(tmp_path):
    """A real write refused by the file system in the real Pelican child: RLIMIT_FSIZE makes every
    write past 8 KB fail with EFBIG, as a full disk fails with ENOSPC (which needs a disk to fill,
    see the next test). Pelican's 54-line traceback became one line, then the build's own."""
    proj = _small_project(tmp_path)
    assert build_guarded(proj).returncode == 0
    before = _tree(proj / "output")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))  # a page is 13 KB

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]), COLUMNS="200")
    proc = subprocess.run([sys.executable, "-m", "cchc.cli.cli", "build", "--content", "content", "--output",
                           "output"], cwd=proj, env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=limit)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2, proc.stderr[-3000:]
    assert lines[0].startswith("LỖI không ghi được") and "tệp vượt giới hạn dung lượng" in lines[0]
    assert "giữ nguyên" in lines[1] and no_traceback(proc)
    assert _tree(proj / "output") == before and _leftovers(proj) == []


def _unshare_works():
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


needs_namespaces = pytest.mark.skipif(not _unshare_works(), reason="unshare -rm (user and mount namespaces) unavailable")


def _in_namespace(proj, script):
    """Run *script* (sh) in a private mount namespace, in *proj*: mounts made there vanish after."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]), COLUMNS="200",
               PY=sys.executable)
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=proj, env=env, capture_output=True,
                          text=True, timeout=600)


@needs_namespaces
def test_disk_full_during_build_is_one_line_and_keeps_output(tmp_path):
    """A real ENOSPC: the project on a 3 MB tmpfs in a private mount namespace, filled once the
    first build is there; the second build says the disk is full, output/ and nothing else is left."""
    proj = _small_project(tmp_path)
    script = r"""
set -e
cp -a . /tmp/proj-copy-$$ && mount -t tmpfs -o size=3m none "$PWD" && cd "$PWD"
cp -a /tmp/proj-copy-$$/. . && rm -rf /tmp/proj-copy-$$
"$PY" -m cchc.cli.cli build --content content --output output >first.out 2>&1 || { cat first.out; exit 3; }
find output -type f | sort | xargs md5sum > /tmp/before-$$
dd if=/dev/zero of=filler bs=4k 2>/dev/null || true
set +e
"$PY" -m cchc.cli.cli build --content content --output output 2>/tmp/second-$$ >/dev/null
echo "rc=$?"
cat /tmp/second-$$ && rm -f /tmp/second-$$
find output -type f | sort | xargs md5sum | cmp -s - /tmp/before-$$ && echo SAME-OUTPUT
ls -a | grep -c '^\.output\.\(new\|old\)' || true
"""
    proc = _in_namespace(proj, script)
    out = proc.stdout
    assert "rc=1" in out, (out, proc.stderr)
    lines = [l for l in out.splitlines() if l.startswith("LỖI")]
    assert len(lines) == 2 and "ổ đĩa đã đầy" in lines[0] and "giữ nguyên" in lines[1], out
    assert "Traceback" not in out and "SAME-OUTPUT" in out and out.strip().endswith("0"), out


@needs_namespaces
def test_read_only_project_folder_is_one_line(tmp_path):
    proj = _small_project(tmp_path)
    assert build_guarded(proj).returncode == 0
    before = _tree(proj / "output")
    proc = _in_namespace(proj, 'mount --bind "$PWD" "$PWD" && mount -o remount,bind,ro "$PWD" && cd "$PWD" && '
                               '"$PY" -m cchc.cli.cli build --content content --output output')
    assert proc.returncode == 1
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("LỖI không xây dựng được trang: không ghi được") and "ổ đĩa chỉ cho đọc" in line, line
    assert "giữ nguyên" in line
    assert _tree(proj / "output") == before


def test_ctrl_c_during_build_says_so_and_leaves_nothing(tmp_path):
    """Ctrl+C as a terminal sends it (SIGINT to the command's process group) while Pelican builds:
    it stopped silently (exit 130); now one line, output/ unchanged, no partial folder."""
    proj = _small_project(tmp_path)
    assert build_guarded(proj).returncode == 0
    before = _tree(proj / "output")
    # A build of two posts can end between two looks for its folder: this one holds still once
    # Pelican has read and built everything (a plugin of this test's settings only), so the
    # Ctrl+C lands mid-build every time, not by luck of timing.
    held = proj / "held"
    (proj / "hold_build.py").write_text(
        "import os, time\nfrom pelican import signals\n\n\ndef _hold(_generators):\n"
        f"    open({str(held)!r}, 'w').close()\n    time.sleep(120)\n\n\n"
        "def register():\n    signals.all_generators_finalized.connect(_hold)\n", encoding="utf-8")
    (proj / "held.py").write_text("import os, sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *\n"
                                  "PLUGIN_PATHS = [*PLUGIN_PATHS, os.path.dirname(os.path.abspath(__file__))]\n"
                                  "PLUGINS = [*PLUGINS, 'hold_build']\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]), COLUMNS="200")
    proc = subprocess.Popen([sys.executable, "-m", "cchc.cli.cli", "build", "--content", "content", "--output",
                             "output", "--settings", "held.py"], cwd=proj, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 120
    while not held.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert held.exists() and list(proj.glob(".output.new-*")), "the build never reached its hold"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1].startswith("Đã dừng xây dựng (Ctrl+C): thư mục output/ cũ được giữ nguyên"), err
    assert "Traceback" not in err
    assert _tree(proj / "output") == before and _leftovers(proj) == []


@pytest.fixture
def locked(tmp_path):
    """A post made immutable (chattr +i), unlocked after the test; skipped where chattr cannot."""
    path = write(tmp_path, "tin-tuc/b.md", news(title="Bài b"))
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i unavailable (needs root and a file system with the attribute)")
    yield path
    subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_fix_nfc_says_which_post_it_cannot_write_and_fixes_the_others(tmp_path, locked):
    import unicodedata

    decomposed = news(title="Bài b").replace("Bài b", unicodedata.normalize("NFD", "Bài bé"))
    for name in ("a", "c"):
        write(tmp_path, f"tin-tuc/{name}.md", decomposed)
    subprocess.run(["chattr", "-i", str(locked)], check=True)
    locked.write_text(decomposed, encoding="utf-8")
    subprocess.run(["chattr", "+i", str(locked)], check=True)
    proc = run_cchc("check", "--fix-nfc", "content", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Đã chuyển content/tin-tuc/a.md" in proc.stdout and "Đã chuyển content/tin-tuc/c.md" in proc.stdout
    assert "LỖI content/tin-tuc/b.md: `make fix-nfc` không chuyển được tệp này sang Unicode dựng sẵn (NFC) vì " \
           "không ghi được nó: hệ thống không cho phép" in proc.stderr, proc.stderr
    assert no_traceback(proc)


def test_a_clash_only_the_converted_text_shows_stops_the_build_without_a_traceback(tmp_path):
    """"16-NQ/**TU**" is no number in the source (the check cannot see it) but is one in the page:
    the build's own check names both numbers and the posts, in Pelican's log, with no traceback."""
    proj = make_project(tmp_path)
    _clash_tree(proj, {"body": "Theo Nghị quyết 16-NQ/**TU**."}, {"body": "Theo Nghị quyết 16/NQ-TU."})
    assert run_cchc("check", "content", cwd=proj).returncode == 0
    proc = build_guarded(proj)
    assert proc.returncode == 1
    out = " ".join((proc.stdout + proc.stderr).split())
    assert "cchc_documents: content/tin-tuc/a.md: số ký hiệu “16-NQ/TU” và “16/NQ-TU” viết khác nhau" in out, out
    assert "Traceback" not in out and "RuntimeError" not in out, out
