"""The store: one small TinyDB file per village behind a repository layer.

Nothing outside this package touches TinyDB documents.
"""
