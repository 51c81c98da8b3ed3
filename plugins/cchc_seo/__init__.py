from .cchc_seo import *
