"""``python -m cchc_studio.ships SETTINGS``: exit 0 when a build with SETTINGS ships the web
editor (cchc_studio in PLUGINS and ``CCHC_STUDIO["BACKEND"]`` set), else 1.

``make publish`` asks this first and then installs the pinned Decap CMS package (``make node``),
as ``make studio`` does: on a fresh clone (a CI deploy) a publish with the editor must not stop
at "run make node"."""

import sys

from cchc.core.settings import merged_settings, plugin_names

from .cchc_studio import DEFAULTS


def ships_editor(settings):
    conf = merged_settings(settings, "CCHC_STUDIO", DEFAULTS, "cchc_studio")
    return "cchc_studio" in plugin_names(settings) and bool(conf["BACKEND"])


def main(argv=None):
    from pelican.settings import read_settings

    (path,) = argv if argv is not None else sys.argv[1:]
    return 0 if ships_editor(read_settings(path)) else 1


if __name__ == "__main__":
    sys.exit(main())
