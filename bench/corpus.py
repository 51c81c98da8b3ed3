"""Deterministic synthetic corpora for benchmarks, generated from the seed texts.

The mix: of every ten posts, seven news items, two plan summaries (each with targets on indicators
of the catalogue) and one progress report (bao-cao) on the latest plan, with a result for each of
its targets: so the build also makes report pages, plan timelines and the /chi-tieu/ charts.

    python -m bench.corpus 2000 bench/corpora/2k      # 2,000 posts into that folder

Every post passes the content schema (so our build accepts it). Plain Pelican's Markdown
reader does not parse YAML front matter, so ``--format pelican`` writes the same posts
(same texts, same count, same file names) with Pelican's native ``Key: value`` metadata,
for building with Pelican's default theme as the benchmark peer:

    python -m bench.corpus 2000 bench/corpora/2k-pelican --format pelican
Corpora are generated, never committed (bench/corpora/ is ignored).
"""

import argparse
import datetime as dt
import random
import re
import uuid
from pathlib import Path

from cchc.core import AREAS, indicators, slugify
from cchc.core.results import parse_period
from cchc.core.text import collapse_spaces

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "legacy" / "seeds"
LOCALITIES = [
    "Huyện Tam Dương", "Quận Tây Hồ", "Huyện Bình Lục", "Thành phố Vũng Tàu", "Tỉnh Quảng Nam",
    "Huyện Đông Anh", "Thành phố Đà Nẵng", "Huyện Củ Chi", "Thị xã Sơn Tây", "Huyện Đức Trọng",
]
ISSUERS = ["UBND", "HĐND", "SNV", "VP"]
DOC_KINDS = [("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("NQ", "Nghị quyết"), ("CT", "Chỉ thị")]
# Indicators the plans set targets on (percentages of the catalogue, cchc.core.indicators).
TARGET_CODES = ["hai-long", "ho-so-truc-tuyen", "ho-so-dien-tu", "so-hoa-ket-qua"]
PERIODS = ["quý I/{y}", "6 tháng đầu năm {y}", "9 tháng đầu năm {y}", "năm {y}"]
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
        if line.startswith(" ") or line in ("targets:", "results:"):  # lists of records: no Pelican form
            continue
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
    # Targets and reports draw from their own generator: the news items and plans keep the texts,
    # dates and places they had before reports were added (a report takes one news item's place in ten).
    extra = random.Random(seed + 1)
    sentences = seed_sentences()
    words = titles_from_seeds(sentences)
    out = Path(out_dir)
    (out / "tin-tuc").mkdir(parents=True, exist_ok=True)
    (out / "ke-hoach").mkdir(parents=True, exist_ok=True)
    (out / "bao-cao").mkdir(parents=True, exist_ok=True)
    used = set()
    numbers = set()  # plans' document numbers: each has one summary and one page (issue 33)
    prev_news = ""  # each fifth post is a plan; it links the news item written just before it
    plan = None  # (slug, locality, year, target codes) of the latest plan: the next report is on it
    for i in range(count):
        is_plan = i % 5 == 4
        is_report = i % 10 == 7 and plan is not None
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
        if is_report:
            slug_, locality, plan_year, codes = plan
            year = extra.randint(plan_year, 2025)
            period = extra.choice(PERIODS).format(y=year)
            published = parse_period(period).end + dt.timedelta(days=extra.randint(5, 25))
            date = f"{published:%d/%m/%Y} {hour:02d}:{minute:02d}"
            date_iso = f"{published:%Y-%m-%d} {hour:02d}:{minute:02d}"
            head[1] = "type: bao-cao"
            head[5] = f"date: {date}"
            head[6] = f"locality: {locality}"
            number = f"{extra.randint(1, 900)}/BC-{extra.choice(ISSUERS)}"
            body.insert(0, f"Báo cáo số {number} của {locality} về kết quả cải cách hành chính {period}.")
            head += [f"doc_number: {number}", f"reporting_unit: UBND {locality}", f"report_period: {period}",
                     f"plans: [{slug_}]", "results:"]
            for code in codes:
                value = f"{extra.randint(60, 99)},{extra.randint(0, 9)}"
                head += [f"  - indicator: {code}", f'    value: "{value}"',
                         f'    quote: "{indicators.BY_CODE[code].name} đạt {value}% (số liệu của bộ dữ liệu thử)"']
            folder = "bao-cao"
        elif is_plan:
            code, kind = rng.choice(DOC_KINDS)
            number = f"{rng.randint(1, 20000)}/{code}-{rng.choice(ISSUERS)}"
            while number in numbers:  # a clash (from 10,000 posts): another number, from the other stream
                number = f"{extra.randint(1, 20000)}/{code}-{extra.choice(ISSUERS)}"
            numbers.add(number)
            body.insert(0, f"{kind} số {number} của {locality}.")
            head += [
                f"doc_type: {kind}",
                f"doc_number: {number}",
                f"issuer: UBND {locality}",
                f"period: {year}-{min(year + 4, 2030)}",
                f"news: [{prev_news}]",
                "targets:",
            ]
            codes = extra.sample(TARGET_CODES, extra.randint(1, 2))
            for code in codes:
                head += [f"  - indicator: {code}", f"    measure: {indicators.BY_CODE[code].name}",
                         '    comparator: ">="',
                         f'    value: "{extra.randint(80, 99)}"', '    unit: "%"',
                         f'    year: "{min(year + extra.randint(0, 4), 2030)}"']
            plan = (slug, locality, year, codes)
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
