from .cchc_schedule import *
