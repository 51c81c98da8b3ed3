from .cchc_feeds import *  # noqa: F403
