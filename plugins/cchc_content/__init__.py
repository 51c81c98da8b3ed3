from .cchc_content import *  # noqa: F403
