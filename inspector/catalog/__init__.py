"""The lists and checklists as data: loading, validation, search, classification."""
