from .cchc_security import *  # noqa: F403
