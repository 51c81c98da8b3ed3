from .cchc_redirects import *  # noqa: F403
