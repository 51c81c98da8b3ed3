from .cchc_opendata import *  # noqa: F403
