from .cchc_security import *
