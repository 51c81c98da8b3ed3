from .cchc_studio import register
