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


class PluginOrderError(RuntimeError):
    """PLUGINS lists the CCHC plugins in an order the build cannot work with."""


def _names(plugins):
    return [getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in plugins or []]


def order_problems(plugins, plugin, after=(), last=False):
    """What is wrong with where *plugin* stands in *plugins* (names or modules), in Vietnamese.

    Each plugin declares its own needs: the plugins it must come after (it reads what they
    build, or its handlers must run after theirs on the same signal), or that it must be last.
    Pelican calls handlers in registration order, which is the order of PLUGINS."""
    names = _names(plugins)
    if plugin not in names:
        return []
    problems = [f"“{plugin}” phải đứng sau “{other}”" for other in after
                if other in names and names.index(other) > names.index(plugin)]
    if last and names[-1] != plugin:
        problems.append(f"“{plugin}” phải đứng cuối cùng")
    return problems


def require_order(settings, plugin, after=(), last=False):
    """Raise PluginOrderError (with the fix, in Vietnamese) when *plugin* stands wrongly in PLUGINS."""
    problems = order_problems(settings.get("PLUGINS"), plugin, after, last)
    if problems:
        raise PluginOrderError("thứ tự PLUGINS trong tệp cấu hình không đúng: " + "; ".join(problems)
                               + " (sửa danh sách PLUGINS trong pelicanconf.py hoặc publishconf.py)")
