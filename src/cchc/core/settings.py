"""Plugin settings: one namespaced dict per plugin, merged over its defaults into a local copy."""

import copy
import logging

log = logging.getLogger(__name__)


def merged_settings(settings, name, defaults, prefix):
    """``settings[name]`` (e.g. CCHC_FEEDS) over a deep copy of *defaults*.

    The shared settings are never written back; an unknown key is logged once with the
    plugin's *prefix* and ignored.
    """
    merged = copy.deepcopy(defaults)
    for key, value in (settings.get(name) or {}).items():
        if key not in defaults:
            log.warning("%s: unknown setting %s[%r] ignored", prefix, name, key)
            continue
        merged[key] = value
    return merged


def plugin_names(settings):
    """The short names of the plugins in ``settings["PLUGINS"]`` (modules or dotted names)."""
    return {getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in settings.get("PLUGINS") or []}
