"""`make studio REVIEW=1` on a working tree with the staff's own uncommitted edits (issue 31).

Staff edit posts with `make studio` (files written into content/) or by hand and never commit;
review mode must start anyway: it lists those files, commits them on the current branch with a
Vietnamese message, loses no change, and refuses (one Vietnamese reason, nothing committed)
only when something outside content/ changed. Called in-process on a throwaway git repository.
"""

import shutil
import subprocess

import pytest

from cchc.studio import studio

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "content" / "tin-tuc").mkdir(parents=True)
    for name in ("cu", "doi-ten", "xoa"):
        (tmp_path / "content" / "tin-tuc" / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n\nA.\n", encoding="utf-8")
    (tmp_path / "pelicanconf.py").write_text("SITENAME = 'x'\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("output/\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["config", "user.name", "Cán bộ"],
                 ["config", "user.email", "canbo@example.gov.vn"], ["add", "-A"], ["commit", "-q", "-m", "Bắt đầu"]):
        git(tmp_path, *args)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def staff_edits(repo):
    """Every kind of uncommitted edit a staff member leaves: changed, new (with a Vietnamese
    name and a new folder), deleted, renamed; an ignored build output is no change."""
    posts = repo / "content" / "tin-tuc"
    (posts / "cu.md").write_text("---\ntitle: cu\n---\n\nĐã sửa.\n", encoding="utf-8")
    (repo / "content" / "ke-hoach").mkdir()
    (repo / "content" / "ke-hoach" / "kế hoạch mới.md").write_text("---\ntitle: mới\n---\n\nB.\n", encoding="utf-8")
    (posts / "xoa.md").unlink()
    git(repo, "mv", "content/tin-tuc/doi-ten.md", "content/tin-tuc/ten-moi.md")
    (repo / "output").mkdir()
    (repo / "output" / "index.html").write_text("built", encoding="utf-8")
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in (repo / "content").rglob("*.md")}


def test_content_edits_are_listed_and_committed_in_vietnamese_nothing_lost(repo):
    files = staff_edits(repo)
    head = git(repo, "rev-parse", "HEAD")
    problem, branch = studio.review_problem("content")
    assert problem is None and branch == "main"
    said = []
    assert studio.save_content_changes("content", say=said.append) is None
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""  # nothing left for a draft to sweep in
    assert git(repo, "rev-parse", "HEAD~1").strip() == head.strip()  # one commit, on main
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("Lưu các thay đổi bài viết chưa ghi vào git trước khi duyệt bài (5 tệp)"), message
    listed = {line.strip() for line in said if line.startswith("  ")}
    assert listed == {"content/tin-tuc/cu.md", "content/ke-hoach/kế hoạch mới.md", "content/tin-tuc/xoa.md",
                      "content/tin-tuc/ten-moi.md", "content/tin-tuc/doi-ten.md"}, said
    committed = set(git(repo, "ls-tree", "-r", "--name-only", "-z", "HEAD", "content").strip("\0").split("\0"))
    assert committed == set(files)
    for path, data in files.items():  # every edit is in the commit, byte for byte
        assert subprocess.run(["git", "show", f"HEAD:{path}"], cwd=repo, capture_output=True,
                              check=True).stdout == data
    assert (repo / "output" / "index.html").is_file() and not git(repo, "ls-tree", "HEAD", "output")


def test_a_clean_tree_commits_nothing(repo):
    head = git(repo, "rev-parse", "HEAD")
    said = []
    assert studio.save_content_changes("content", say=said.append) is None
    assert said == [] and git(repo, "rev-parse", "HEAD") == head


def test_a_change_outside_content_is_refused_in_vietnamese_and_nothing_committed(repo):
    staff_edits(repo)
    (repo / "pelicanconf.py").write_text("SITENAME = 'y'\n", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    before = git(repo, "status", "--porcelain")
    problem, branch = studio.review_problem("content")
    assert branch is None
    assert "pelicanconf.py" in problem and "ngoài thư mục content/" in problem and "make studio" in problem, problem
    assert "content/tin-tuc/cu.md" not in problem  # only what stops it is named
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == before
