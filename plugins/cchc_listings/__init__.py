from .cchc_listings import *
