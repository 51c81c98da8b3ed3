"""Deterministic synthetic corpora for benchmarks, generated from the seed texts.

    python -m bench.corpus 2000 bench/corpora/2k      # 2,000 posts into that folder

Every post passes the content schema (so our build accepts it). Plain Pelican's Markdown
reader does not parse YAML front matter, so ``--format pelican`` writes the same posts
(same texts, same count, same file names) with Pelican's native ``Key: value`` metadata,
for building with Pelican's default theme as the benchmark peer:

    python -m bench.corpus 2000 bench/corpora/2k-pelican --format pelican
Corpora are generated, never committed (bench/corpora/ is ignored).
"""

import argparse
import random
import re
import uuid
from pathlib import Path

from cchc.core import AREAS, slugify
from cchc.core.text import collapse_spaces

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "legacy" / "seeds"
LOCALITIES = [
    "Huyện Tam Dương", "Quận Tây Hồ", "Huyện Bình Lục", "Thành phố Vũng Tàu", "Tỉnh Quảng Nam",
    "Huyện Đông Anh", "Thành phố Đà Nẵng", "Huyện Củ Chi", "Thị xã Sơn Tây", "Huyện Đức Trọng",
]
ISSUERS = ["UBND", "HĐND", "SNV", "VP"]
DOC_KINDS = [("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("NQ", "Nghị quyết"), ("CT", "Chỉ thị")]
BOILERPLATE = re.compile(
    r"^(Skip |Chi tiết tin|\[Trở về\]|Các tin|Tin |Tìm kiếm|Album|Nguồn:|Tổng số|View count|"
    r"CỔNG|Địa chỉ:|Phát triển bởi|\d{2}[:/-])"
)


def seed_sentences():
    """Sentences of the seed articles' own text (boilerplate lines dropped)."""
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = collapse_spaces(line)
            if len(line) < 80 or BOILERPLATE.match(line):
                continue
            sentences += [s.strip() for s in re.split(r"(?<=[.;])\s+", line) if len(s.strip()) > 30]
    return sentences


def titles_from_seeds(sentences):
    words = " ".join(sentences).split()
    return words


def pelican_metadata(head, date_iso):
    """The same front matter as Pelican ``Key: value`` lines (lists become comma-separated)."""
    lines = []
    for line in head[1:-1]:
        key, _, value = line.partition(": ")
        if key == "date":
            value = date_iso
        elif value.startswith("[") and value.endswith("]"):
            value = value[1:-1]
        elif value.startswith('"') and value.endswith('"'):
            value = value[1:-1]
        lines.append(f"{key.capitalize() if key in ('title', 'date', 'slug', 'summary') else key}: {value}")
    return lines


def generate(count, out_dir, seed=20211125, fmt="yaml"):
    """Write *count* posts (about one plan per five news items) into *out_dir*.

    *fmt* is "yaml" (our front matter) or "pelican" (plain Pelican metadata lines).
    """
    rng = random.Random(seed)
    sentences = seed_sentences()
    words = titles_from_seeds(sentences)
    out = Path(out_dir)
    (out / "tin-tuc").mkdir(parents=True, exist_ok=True)
    (out / "ke-hoach").mkdir(parents=True, exist_ok=True)
    used = set()
    prev_news = ""  # each fifth post is a plan; it links the news item written just before it
    for i in range(count):
        is_plan = i % 5 == 4
        start = rng.randrange(len(words) - 12)
        title = " ".join(words[start : start + rng.randint(6, 12)]).strip(".,;:“”\"")
        title = f"{title[0].upper()}{title[1:]} ({i + 1})".replace('"', "'")
        slug = slugify(title)
        while slug in used:
            slug += "-x"
        used.add(slug)
        year = rng.randint(2015, 2025)
        day, month, hour, minute = rng.randint(1, 28), rng.randint(1, 12), rng.randint(7, 17), rng.randint(0, 59)
        date = f"{day:02d}/{month:02d}/{year} {hour:02d}:{minute:02d}"
        date_iso = f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
        locality = rng.choice(LOCALITIES)
        areas = rng.sample(list(AREAS), rng.randint(1, 3))
        body = []
        for _ in range(rng.randint(3, 8)):
            body.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4))))
        summary = rng.choice(sentences)[:200].replace('"', "'")
        head = [
            "---",
            f"type: {'ke-hoach' if is_plan else 'tin-tuc'}",
            f"id: {uuid.UUID(int=rng.getrandbits(128))}",
            f'title: "{title}"',
            f"slug: {slug}",
            f"date: {date}",
            f"locality: {locality}",
            f'summary: "{summary}"',
            f"areas: [{', '.join(areas)}]",
        ]
        if is_plan:
            code, kind = rng.choice(DOC_KINDS)
            number = f"{rng.randint(1, 20000)}/{code}-{rng.choice(ISSUERS)}"
            body.insert(0, f"{kind} số {number} của {locality}.")
            head += [
                f"doc_type: {kind}",
                f"doc_number: {number}",
                f"issuer: UBND {locality}",
                f"period: {year}-{min(year + 4, 2030)}",
                f"news: [{prev_news}]",
            ]
            folder = "ke-hoach"
        else:
            prev_news = slug
            folder = "tin-tuc"
        head.append("---")
        if fmt == "pelican":
            head = pelican_metadata(head, date_iso)
        (out / folder / f"{slug}.md").write_text("\n".join(head) + "\n\n" + "\n\n".join(body) + "\n",
                                                 encoding="utf-8")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=20211125)
    ap.add_argument("--format", choices=["yaml", "pelican"], default="yaml",
                    help="yaml: CCHC front matter; pelican: plain Pelican `Key: value` metadata")
    args = ap.parse_args(argv)
    generate(args.count, args.out_dir, args.seed, args.format)


if __name__ == "__main__":
    main()
