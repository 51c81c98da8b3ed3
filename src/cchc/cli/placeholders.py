"""Sample values that must not reach the public site: `make publish` stops on them.

A production build (settings with ``PUBLISH = True``, i.e. publishconf.py) needs the
site's real address in ``SITEURL`` and real organisation details in ``ORGANISATION``.
Test and demo builds pass ``--allow-example`` (`make publish ALLOW_EXAMPLE=1 SITEURL=…`).
"""

import re

from cchc.core.siteurl import host as host_of
from cchc.core.siteurl import is_absolute

# RFC 2606 / RFC 6761 names that are never a real public site.
_EXAMPLE_TLDS = {"example", "test", "invalid", "localhost", "local"}
_EXAMPLE_WORD = re.compile(r"\bví dụ\b|\bexample\b", re.IGNORECASE)


def is_example_host(host):
    """True for example.org, cchc.example.gov.vn, localhost, *.test … (never a real public site)."""
    labels = [l for l in (host or "").lower().split(".") if l]
    return not labels or "example" in labels or labels[-1] in _EXAMPLE_TLDS or host.startswith("127.")


def siteurl_problems(siteurl):
    """Vietnamese sentences for a SITEURL that is missing, not absolute, or a sample address."""
    fix = "chạy lại với địa chỉ thật của cổng: make publish SITEURL=https://địa-chỉ-của-cổng.gov.vn"
    if not siteurl:
        return [f"chưa đặt SITEURL (địa chỉ công khai của cổng); {fix}"]
    if not is_absolute(siteurl):
        return [f"SITEURL “{siteurl}” phải là địa chỉ đầy đủ bắt đầu bằng https://; {fix}"]
    if is_example_host(host_of(siteurl)):
        return [f"SITEURL đang là địa chỉ mẫu “{siteurl}” (chưa đặt địa chỉ thật); {fix}"]
    return []


def organisation_problems(org):
    """Vietnamese sentences for ORGANISATION still holding the sample values."""
    org = org or {}
    sample = [k for k, v in org.items() if isinstance(v, str) and _EXAMPLE_WORD.search(v)]
    sample += [k for k, v in org.items()
               if k == "email" and isinstance(v, str) and is_example_host(v.rpartition("@")[2])
               and k not in sample]
    if not org.get("is_example") and not sample:
        return []
    fields = f" (còn giá trị mẫu ở: {', '.join(sample)})" if sample else ""
    return ["ORGANISATION trong pelicanconf.py vẫn là thông tin mẫu"
            f"{fields}; điền tên cơ quan, địa chỉ, thư điện tử… thật rồi đặt \"is_example\": False, "
            "nếu không mọi trang sẽ hiện dòng “Thông tin mẫu”"]


def publish_problems(settings):
    """Every placeholder a production build would publish, as Vietnamese sentences ([] = none)."""
    if not settings.get("PUBLISH"):
        return []
    return siteurl_problems(settings.get("SITEURL", "")) + organisation_problems(settings.get("ORGANISATION"))
