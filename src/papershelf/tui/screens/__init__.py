"""Screens: the main reader and its modals (help, remote search)."""
