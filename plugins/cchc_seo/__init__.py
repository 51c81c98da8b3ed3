from .cchc_seo import *  # noqa: F403
