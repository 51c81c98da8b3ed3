"""Non-failing advice for `cchc check`: things an editor may complete, not errors."""

from dataclasses import dataclass

from cchc.core import doctypes, find_bare_references


@dataclass
class Notice:
    """One suggestion in one file."""

    path: str
    line: int | None
    message: str
    topic: str = "văn bản được dẫn không kèm ký hiệu"  # what the one-line summary counts

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def _example(ref):
    """The shapes the full number may take: " (dạng 1578/QĐ-…, hoặc văn bản của Đảng 1578-QĐ/…)"."""
    kind = doctypes.BY_NAME[ref.doc_type]
    if not kind.code:
        return ""
    forms = ([f"{ref.number}/{kind.code}-…"] if kind.state else []) + (
        [f"văn bản của Đảng {ref.number}-{kind.code}/…"] if kind.party else [])
    return " (dạng " + ", hoặc ".join(forms) + ")"


def _advice(ref, field=None):
    example = _example(ref)
    where = (f"điền trường number của căn cứ này{example}" if field
             else f"viết đủ số ký hiệu{example}")
    return (f"“{ref.text}” chưa có ký hiệu nên không có trang văn bản và không được gắn liên kết; "
            f"khi tra được văn bản gốc, hãy {where}")


def bare_reference_notices(docs):
    """Every "Quyết định số 1578"-style citation in bodies, summaries and legal bases."""
    from cchc.core.schema import derived

    return [notice for doc in docs for notice in derived(doc, "bare_reference_notices", _bare_reference_notices)]


def _bare_reference_notices(doc):
    notices = []
    for i, basis in enumerate(doc.meta.get("legal_bases", [])):
        if basis.get("number") or not basis.get("reference"):
            continue
        line = doc.lines.get(f"legal_bases[{i}].reference", doc.lines.get(f"legal_bases[{i}]"))
        for ref in find_bare_references(basis["reference"]):
            notices.append(Notice(doc.path, line, _advice(ref, field="number")))
    for ref in find_bare_references(doc.meta.get("summary", "")):
        notices.append(Notice(doc.path, doc.lines.get("summary"), _advice(ref)))
    for n, text in enumerate(doc.body.splitlines(), start=doc.body_line):
        for ref in find_bare_references(text):
            notices.append(Notice(doc.path, n, _advice(ref)))
    return notices


def size_notices(docs):
    """Posts long enough to be slow to load and read on a phone (not refused: see SIZE_LIMIT)."""
    from cchc.core.schema import SIZE_LIMIT, SIZE_WARN, human_size

    notices = []
    for doc in docs:
        size = len(doc.body.encode("utf-8"))
        if SIZE_WARN < size <= SIZE_LIMIT:
            notices.append(Notice(doc.path, None, f"bài dài {human_size(size)}, khó đọc trên điện thoại: nên "
                                  "chia thành nhiều bài, hoặc đưa phần dài (bảng, phụ lục) vào tệp đính kèm",
                                  topic="bài dài"))
    return notices


def locality_notices(docs):
    """Which unit a locality not written as its official name resolved to, a unit named on a
    post dated in the other era (a new commune on a 2021 post, an old district on a 2026 one),
    and the importer's “Chưa xác định”, still to be replaced by a unit."""
    from cchc.core import units

    notices = []
    for doc in docs:
        if doc.meta.get("locality") == units.UNRESOLVED:
            draft = doc.meta.get("status") == "draft"
            notices.append(Notice(doc.path, doc.lines.get("locality"), (
                f"địa phương “{units.UNRESOLVED}” (ghi tạm khi chuyển bài: báo cáo chuyển bài có tên đọc được và "
                "các tên gần nhất): ghi tên đơn vị hành chính lúc đăng bài"
                + (" trước khi bỏ dòng status: draft" if draft else "; bài này đang được đăng mà chưa có địa phương")),
                topic="địa phương chưa xác định"))
        uid = doc.meta.get("locality_unit")
        if not uid:
            continue
        reg = units.registry()
        unit, written, line = reg[uid], doc.meta["locality"], doc.lines.get("locality")
        day = doc.meta["date"].date() if doc.meta.get("date") else None
        if written not in (unit.name, reg.full_name(unit)):  # the site's own forms need no word
            notices.append(Notice(doc.path, line, f"“{written}” được hiểu là {reg.full_name(unit)} (mã {unit.code}"
                                  f"{', trước 01/07/2025' if not unit.current else ''}); trang bài ghi đúng như "
                                  "đã viết, nếu không phải đơn vị này hãy ghi thêm province hoặc locality_code",
                                  topic="địa phương được hiểu theo danh mục"))
        if day and not unit.exists_on(day):
            if unit.current:
                before = "; ".join(reg.full_name(u) for u, _ in reg.before(unit) if u.level != units.PROVINCE)
                advice = (f"{unit.name} chỉ có từ {units.REFORM_2025:%d/%m/%Y}, bài đề ngày {day:%d/%m/%Y} "
                          "(khi đơn vị này chưa có): nên ghi đơn vị lúc đăng bài; trước đó địa bàn này thuộc: "
                          f"{before}")
            else:
                now = "; ".join(reg.full_name(u) for u, _ in reg.now(unit))
                advice = (f"{unit.name} chỉ có đến hết {unit.until:%d/%m/%Y}, bài đề ngày {day:%d/%m/%Y}: nếu bài "
                          f"nói về đơn vị hiện nay, ghi tên mới; địa bàn này nay thuộc: {now}")
            notices.append(Notice(doc.path, line, advice, topic="địa phương chưa có hoặc đã không còn vào ngày đăng"))
    return notices


_ENDED = {"replaced_by": "bị thay thế", "repealed_by": "bị bãi bỏ"}


def ended_citation_notices(docs):
    """Posts dated on or after the end of a document they cite (cchc.core.validity), naming the
    document that replaced or repealed it: the post may cite it as if it were still in force."""
    from cchc.core.validity import ended_citations

    notices = []
    for doc, line, record, end in ended_citations(docs):
        cited = record.meta["doc_number"]
        notices.append(Notice(doc.path, line, (
            f"bài đề ngày {doc.meta['date']:%d/%m/%Y} dẫn văn bản {cited}, văn bản này đã {_ENDED[end.kind]} "
            f"từ {end.date:%d/%m/%Y} bởi {end.number.text} (theo {record.path}): nếu bài dẫn {cited} như "
            f"văn bản đang có hiệu lực, hãy dẫn {end.number.text}; nếu bài nói về giai đoạn trước "
            f"{end.date:%d/%m/%Y} thì giữ nguyên"), topic="văn bản được dẫn đã hết hiệu lực"))
    return notices


def content_notices(docs):
    """Every suggestion `cchc check` makes about the checked posts."""
    return (size_notices(docs) + bare_reference_notices(docs) + locality_notices(docs)
            + indicator_notices(docs) + report_notices(docs) + ended_citation_notices(docs)
            + alias_notices(docs))


def indicator_notices(docs):
    """A target written only as free text whose wording is one the indicator catalogue knows:
    suggest its code, so the dashboard compares it with the other plans' targets of that indicator."""
    from cchc.core import indicators

    notices = []
    for doc in docs:
        for i, target in enumerate(doc.meta.get("targets") or []):
            if target.get("indicator"):
                continue
            where = f"targets[{i}]"
            line = doc.lines.get(f"{where}.measure", doc.lines.get(where))
            ind = indicators.match(target.get("measure", ""))
            if ind:
                notices.append(Notice(doc.path, line, (
                    f"chỉ tiêu “{target['measure']}” khớp với chỉ tiêu “{ind.name}” trong danh mục: thêm dòng "
                    f"“indicator: {ind.code}” vào mục này để trang Chỉ tiêu so sánh nó với các kế hoạch khác "
                    "và với kết quả báo cáo"), topic="chỉ tiêu chưa ghi mã trong danh mục"))
    return notices


def report_notices(docs):
    """A report's result for an indicator none of its plans has a target for: allowed (reports may
    carry more), but said, since such a result is shown on /chi-tieu/ without a target beside it."""
    from cchc.core import indicators
    from cchc.core.schema import post_slug

    plan_codes = {}
    for doc in docs:
        if doc.meta.get("type") == "ke-hoach":
            targets = doc.meta.get("targets") or []
            plan_codes[post_slug(doc.meta)] = {ind.code for ind in map(indicators.resolve, targets) if ind}
    notices = []
    for doc in docs:
        plans = [p for p in doc.meta.get("plans") or [] if p in plan_codes]
        if doc.meta.get("type") != "bao-cao" or not plans:
            continue
        codes = set().union(*(plan_codes[p] for p in plans))
        for i, res in enumerate(doc.meta.get("results") or []):
            if res["indicator"] not in codes:
                line = doc.lines.get(f"results[{i}].indicator", doc.lines.get(f"results[{i}]"))
                notices.append(Notice(doc.path, line, (
                    f"kết quả chỉ tiêu {res['indicator']} không ứng với chỉ tiêu nào của kế hoạch {', '.join(plans)}: "
                    "vẫn được đăng; nếu kế hoạch có chỉ tiêu này, thêm “indicator: "
                    f"{res['indicator']}” vào chỉ tiêu đó"), topic="kết quả ngoài chỉ tiêu của kế hoạch"))
    return notices


def alias_notices(docs):
    """A deprecated field name (cchc.core.aliases): still read, so the page is unchanged; rename it."""
    from cchc.core import aliases

    notices = []
    for doc in docs:
        for old, new in aliases.deprecated(doc.meta):
            same = doc.meta.get(new) == doc.meta[old]
            if doc.meta.get(new) and not same:
                fix = (f"trang dùng {new} ({doc.meta[new]}); xóa dòng {old}: (hoặc sửa {new} nếu địa chỉ "
                       f"ở {old} mới đúng)")
            elif same:
                fix = f"xóa dòng {old}: ({new} đã ghi cùng địa chỉ)"
            else:
                fix = f"đổi “{old}:” thành “{new}:” (giá trị giữ nguyên; trang không đổi)"
            notices.append(Notice(doc.path, doc.lines.get(old), (
                f"trường “{old}” ở đây là tên cũ của “{new}” (văn bản gốc tại nguồn chính thức; {old} nay chỉ "
                f"là địa chỉ bài trên cổng cũ, do lệnh chuyển bài ghi): {fix}"), topic="tên trường cũ"))
    return notices
