from .cchc_precompress import *  # noqa: F403
