from .cchc_schedule import *  # noqa: F403
