"""Numbers as the site writes them: the Vietnamese decimal comma, and a target with its sign."""

# Front-matter comparator → the sign shown before a target's value ("=" shows none).
COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": ""}


def vi_number(value, spec="g"):
    """95.0 → "95", 96.6 → "96,6": the decimal comma; *spec* is a format spec (".1f")."""
    return format(value, spec).replace(".", ",")


def quantity(value, unit=""):
    """A value with its unit: "96,6%" (a percent sign sticks to the number), "4 hạng", "12 TTHC"."""
    unit = (unit or "").strip()
    if not unit or unit == "%":
        return f"{vi_number(value)}{unit or ''}"
    return f"{vi_number(value)} {unit}"


def target_text(target):
    """A target's value as written on pages and charts: "≥ 95%", "100%" (for "="), "≤ 5 hạng"."""
    sign = COMPARATOR_SIGNS[target["comparator"]]
    return f"{sign + ' ' if sign else ''}{quantity(target['value'], target.get('unit') or '')}"
