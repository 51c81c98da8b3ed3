"""The CCHC task areas: the six of Nghị quyết 76/NQ-CP plus the two cross-cutting ones."""

# code → Vietnamese label. The six areas in the order of NQ 76/NQ-CP, then the two cross-cutting ones.
AREAS = {
    "the-che": "Cải cách thể chế",
    "thu-tuc-hanh-chinh": "Cải cách thủ tục hành chính",
    "to-chuc-bo-may": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "che-do-cong-vu": "Cải cách chế độ công vụ",
    "tai-chinh-cong": "Cải cách tài chính công",
    "chinh-phu-so": "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
    "chi-dao-dieu-hanh": "Công tác chỉ đạo, điều hành",
    "tuyen-truyen": "Thông tin, tuyên truyền",
}


def area_label(code):
    """Vietnamese label of an area code (the code itself if unknown)."""
    return AREAS.get(code, code)
