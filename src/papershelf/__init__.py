"""papershelf: a keyboard-first terminal reader for Hugging Face Daily Papers."""

__version__ = "0.2.0"
