from .cchc_documents import *
