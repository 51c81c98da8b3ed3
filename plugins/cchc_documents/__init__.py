from .cchc_documents import *  # noqa: F403
