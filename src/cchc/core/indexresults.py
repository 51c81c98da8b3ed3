"""Index results as data: PAR Index and SIPAS values per unit and year, kept by staff in small
YAML files under ``content/chi-so/`` (one file per index and year), each with its source.

    index: par-index          # par-index (PAR Index) or sipas (SIPAS)
    year: "2024"
    source: "https://…"       # where the figures were published (a URL or a report's number)
    results:
      - locality: Quận Tây Hồ
        score: "91,43"        # as published; a % within 0..100
        rank: "3"             # optional: rank and of how many units ranked
        of: "30"
        quote: "…"            # verbatim from the source

Nothing is invented: a unit whose figure is not known is left out. Each value becomes a result of
the catalogue's indicator (par-index, par-index-hang, sipas) for its unit, as of 31/12 of the year,
so targets on those indicators get a status like any report's results.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .dates import build_now
from .frontmatter import FrontMatterError, load
from .text import nfc

FOLDER = "chi-so"
INDEXES = {"par-index": "Chỉ số cải cách hành chính (PAR Index)", "sipas": "Chỉ số hài lòng (SIPAS)"}
FIELDS = ("index", "year", "source", "results")
RESULT_FIELDS = ("locality", "province", "score", "rank", "of", "quote")


@dataclass
class IndexResult:
    path: str
    line: int
    index: str
    year: int
    source: str
    locality: str
    province: str | None
    score: float
    rank: int | None
    of: int | None
    quote: str
    unit: object = None  # the units registry's uid, when the locality resolves


def files(content_dir):
    return sorted(p for p in (Path(content_dir) / FOLDER).glob("*.y*ml") if p.is_file())


def _number(raw, what):
    try:
        return float(str(raw).replace(",", "."))
    except ValueError:
        raise ValueError(f"“{raw}” phải là một số ({what}), ví dụ 91,43") from None


def read(path):
    """One file → ([IndexResult], [Problem]); messages in Vietnamese at file:line:field."""
    from .schema import Problem

    rel = str(path)
    try:
        data, lines = load(nfc(Path(path).read_text(encoding="utf-8")))
    except FrontMatterError as exc:
        return [], [Problem(rel, None, None, str(exc))]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(rel, None, None, f"không đọc được tệp: {exc}")]
    lines = {k: v - 1 for k, v in lines.items()}  # load() counts an opening '---' this file has not
    problems = []
    if not isinstance(data, dict):
        return [], [Problem(rel, 1, None, "tệp chỉ số phải gồm các trường: " + ", ".join(FIELDS))]
    for key in data:
        if key not in FIELDS:
            problems.append(Problem(rel, lines.get(key), key, "trường không có trong mẫu tệp chỉ số (hợp lệ: "
                                    + ", ".join(FIELDS) + ")"))
    index = str(data.get("index") or "").strip()
    if index not in INDEXES:
        near = difflib.get_close_matches(index, INDEXES, n=1)
        problems.append(Problem(rel, lines.get("index", 1), "index", f"“{index}” không phải chỉ số đã biết; dùng "
                                + " hoặc ".join(INDEXES) + (f" (có phải {near[0]}?)" if near else "")))
    year = str(data.get("year") or "").strip()
    if not re.fullmatch(r"20\d\d", year):
        problems.append(Problem(rel, lines.get("year", 1), "year", f"“{year}” phải là năm đánh giá, ví dụ 2024"))
    elif date(int(year), 1, 1) > build_now().date():
        problems.append(Problem(rel, lines.get("year"), "year", f"năm {year} chưa đến: chưa thể có kết quả"))
    source = str(data.get("source") or "").strip()
    if not source:
        problems.append(Problem(rel, lines.get("source", 1), "source", "cần nguồn công bố (địa chỉ https:// hoặc số "
                                "ký hiệu văn bản công bố kết quả): không đăng số liệu không rõ nguồn"))
    items = data.get("results")
    if not isinstance(items, list) or not items:
        problems.append(Problem(rel, lines.get("results", 1), "results", "cần danh sách kết quả, mỗi mục bắt đầu "
                                "bằng '- locality: …'"))
        items = []
    out, seen = [], {}
    for i, item in enumerate(items):
        where = f"results[{i}]"
        line = lines.get(where)
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, where, "mỗi mục gồm: " + ", ".join(RESULT_FIELDS)))
            continue
        try:
            for key in item:
                if key not in RESULT_FIELDS:
                    raise ValueError(key, "trường không có trong mẫu (hợp lệ: " + ", ".join(RESULT_FIELDS) + ")")
            for key in ("locality", "score", "quote"):
                if not str(item.get(key) or "").strip():
                    raise ValueError(key, "bắt buộc phải có")
            try:
                score = _number(item["score"], "điểm hoặc tỷ lệ %")
            except ValueError as exc:
                raise ValueError("score", str(exc)) from None
            if not 0 <= score <= 100:
                raise ValueError("score", f"{item['score']} phải từ 0 đến 100")
            rank = of = None
            if str(item.get("rank") or "").strip():
                if not str(item["rank"]).strip().isdigit() or not str(item.get("of") or "").strip().isdigit():
                    raise ValueError("rank", "thứ hạng (rank) và số đơn vị được xếp hạng (of) là số nguyên, ví dụ "
                                             "rank: \"3\" và of: \"30\"")
                rank, of = int(item["rank"]), int(item["of"])
                if not 1 <= rank <= of:
                    raise ValueError("rank", f"hạng {rank} không nằm trong 1..{of}")
        except ValueError as exc:
            key, message = exc.args
            problems.append(Problem(rel, lines.get(f"{where}.{key}", line), f"{where}.{key}", message))
            continue
        res = IndexResult(rel, line, index, int(year) if year.isdigit() else 0, source, str(item["locality"]).strip(),
                          str(item.get("province") or "").strip() or None, score, rank, of, str(item["quote"]).strip())
        key = (res.locality, res.province)
        if key in seen:
            problems.append(Problem(rel, line, where, f"{res.locality} đã có ở results[{seen[key]}]; xóa mục trùng"))
            continue
        seen[key] = i
        problems += _resolve(res, lines, where)
        out.append(res)
    return out, problems


def _resolve(res, lines, where):
    """The unit a locality names as of the end of the year (cchc.core.units), as posts' are."""
    import dataclasses
    import datetime as dt

    from .dates import VN_TZ
    from .schema import locality_problems

    meta = {"locality": res.locality, "date": dt.datetime(res.year or 2000, 12, 31, tzinfo=VN_TZ)}
    if res.province:
        meta["province"] = res.province
    found = locality_problems(meta, {"locality": lines.get(f"{where}.locality")}, res.path)
    res.unit = meta.get("locality_unit")
    return [dataclasses.replace(p, field=f"{where}.locality") for p in found]


def read_all(content_dir):
    results, problems = [], []
    for path in files(content_dir):
        found, bad = read(path)
        results += found
        problems += bad
    return results, problems


def as_results(found):
    """Each index value as report-like results: (indicator code, unit key, value, as_of, label)."""
    rows = []
    for res in found:
        as_of = date(res.year, 12, 31)
        if res.index == "sipas":
            rows.append(("sipas", res, res.score, as_of))
        else:
            rows.append(("par-index", res, res.score, as_of))
            if res.rank:
                rows.append(("par-index-hang", res, float(res.rank), as_of))
    return rows
