from .cchc_opendata import *
