from .cchc_pagecache import *
