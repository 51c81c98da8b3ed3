from .cchc_listings import *  # noqa: F403
