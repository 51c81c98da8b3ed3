"""`cchc import` measured on real pages of old portals (tests/fixtures/legacy/portals/).

Each page's expected title, date, author, document numbers and first/last body words were
written into manifest.json by reading the page, never by running the importer. The test reports
the accuracy per field over the whole set (the same table is in docs/import.md)
and requires 100 % for title, date and document numbers.
"""

import json
import re
from pathlib import Path

import pytest

from cchc.importer import run
from cchc.importer.report import iso_date
from conftest import LEGACY, ROOT

PORTALS = LEGACY / "portals"
# unseen/: six pages added after the rules were written, run once before any change (see docs/import.md).
MANIFEST = [dict(m, file=f"{folder}{m['file']}")
            for folder in ("", "unseen/")
            for m in json.loads((PORTALS / folder / "manifest.json").read_text(encoding="utf-8"))]
FIELDS = ("title", "date", "author", "doc_numbers", "first_words", "last_words")
REQUIRED = ("title", "date", "doc_numbers")
LABELS = {"title": "tiêu đề (title)", "date": "ngày đăng (date)", "author": "tác giả (author)",
          "doc_numbers": "số ký hiệu (doc_numbers)", "first_words": "những chữ đầu bài",
          "last_words": "những chữ cuối bài"}


def body_words(markdown):
    """The words a reader sees in the body: Markdown escapes and entities undone."""
    text = re.sub(r"\\(.)", r"\1", markdown).replace("&lt;", "<").replace("&amp;", "&")
    return text.split()


def actual_values(rec):
    words = body_words(rec.body or "")
    return {"title": rec.title, "date": iso_date(rec.date), "author": rec.author,
            "doc_numbers": rec.doc_numbers, "words": words}


def matches(field, expected, got):
    if field in ("first_words", "last_words"):
        want = expected.split()
        if not want:
            return got["words"] == []
        part = got["words"][: len(want)] if field == "first_words" else got["words"][-len(want):]
        return part == want
    return got[field] == expected


def accuracy_table(results):
    """Markdown table: per field, pages right / pages, and the percentage."""
    total = len(results)
    rows = ["| trường | đúng | tỉ lệ |", "| --- | --- | --- |"]
    for field in FIELDS:
        right = sum(1 for r in results if r[field])
        rows.append(f"| {LABELS[field]} | {right}/{total} | {100 * right / total:.0f} % |")
    return "\n".join(rows)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    into = tmp_path_factory.mktemp("portals") / "content"
    records = run([PORTALS / m["file"] for m in MANIFEST], into=into)
    by_file = {}
    for rec in records:
        by_file.setdefault(Path(rec.source).relative_to(PORTALS).as_posix(), rec)
    return by_file, into


def test_every_page_has_its_source_url_and_cms():
    files = sorted(p.relative_to(PORTALS).as_posix() for p in PORTALS.rglob("*.txt"))
    assert files == sorted(m["file"] for m in MANIFEST)
    assert len(files) >= 20
    assert len({m["cms"].split(" (")[0] for m in MANIFEST}) >= 6
    for m in MANIFEST:
        assert m["url"].startswith(("http://", "https://")) and m["cms_evidence"]


def test_accuracy_per_field_over_the_real_pages(imported):
    by_file, _into = imported
    results, wrong = [], []
    for m in MANIFEST:
        got = actual_values(by_file[m["file"]])
        row = {}
        for field in FIELDS:
            row[field] = matches(field, m["expected"][field], got)
            if not row[field]:
                shown = got["words"][:8] if field == "first_words" else got["words"][-8:] \
                    if field == "last_words" else got[field]
                wrong.append(f"{m['file']} {field}: mong đợi {m['expected'][field]!r}, được {shown!r}")
        results.append(row)
    table = accuracy_table(results)
    print("\n" + table + "\n" + "\n".join(wrong))
    readme = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- import-accuracy -->\n(.*?)\n<!-- /import-accuracy -->", readme, re.S)
    assert block and block.group(1).strip() == table, "docs/import.md's accuracy table is out of date:\n" + table
    for field in REQUIRED:
        assert all(r[field] for r in results), [w for w in wrong if f" {field}:" in w]


def test_pages_without_a_headline_are_not_written_and_say_why(imported):
    by_file, _into = imported
    for m in MANIFEST:
        rec = by_file[m["file"]]
        if m["expected"]["title"] is None:
            assert rec.output is None and rec.outcome == "needs_review", m["file"]
            assert any("tiêu đề" in w for w in rec.warnings), (m["file"], rec.warnings)
        else:
            assert rec.output and rec.outcome in ("imported", "needs_review"), (m["file"], rec.failed)


def test_written_posts_pass_check(imported):
    from conftest import run_cchc

    _by_file, into = imported
    check = run_cchc("check", into)
    assert check.returncode == 0, check.stdout + check.stderr
