from .cchc_theme import *
