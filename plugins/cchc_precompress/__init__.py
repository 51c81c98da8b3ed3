from .cchc_precompress import *
