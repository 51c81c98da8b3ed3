from .cchc_feeds import *
