from .cchc_theme import *  # noqa: F403
