from .cchc_pipeline import *  # noqa: F401,F403
