"""reader: a keyboard-first terminal app for reading documents and annotating them."""

__version__ = "0.1.0"
