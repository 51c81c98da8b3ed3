from .cchc_content import *
