from .cchc_assets import *  # noqa: F403
