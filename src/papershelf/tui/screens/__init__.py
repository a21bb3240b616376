"""Screens: the main reader, its helpers, and the pages of one paper."""
