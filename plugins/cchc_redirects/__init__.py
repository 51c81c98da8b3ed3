from .cchc_redirects import *
