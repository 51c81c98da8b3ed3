from .cchc_assets import *
