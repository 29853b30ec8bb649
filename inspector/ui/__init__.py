"""The Textual interface: a thin layer over the core and the store."""
