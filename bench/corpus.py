"""Deterministic synthetic corpora for benchmarks, generated from the seed texts.

    python -m bench.corpus 2000 bench/corpora/2k      # 2,000 posts into that folder

Every post passes the content schema (so our build accepts it) and uses only
Markdown and front matter fields a plain Pelican site can also read (title, date,
summary), so the same folder can be built with Pelican's default theme for comparison.
Corpora are generated, never committed (bench/corpora/ is ignored).
"""

import argparse
import random
import re
import uuid
from pathlib import Path

from cchc_core import AREAS, slugify
from cchc_core.text import collapse_spaces

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
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


def generate(count, out_dir, seed=20211125):
    """Write *count* posts (about one plan per five news items) into *out_dir*."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    words = titles_from_seeds(sentences)
    out = Path(out_dir)
    (out / "tin-tuc").mkdir(parents=True, exist_ok=True)
    (out / "ke-hoach").mkdir(parents=True, exist_ok=True)
    used = set()
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
        date = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year} {rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}"
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
        (out / folder / f"{slug}.md").write_text("\n".join(head) + "\n\n" + "\n\n".join(body) + "\n",
                                                 encoding="utf-8")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=20211125)
    args = ap.parse_args(argv)
    generate(args.count, args.out_dir, args.seed)


if __name__ == "__main__":
    main()
