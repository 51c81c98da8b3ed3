from .cchc_studio import register  # noqa: F401
