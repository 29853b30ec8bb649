"""Markdown reports: pure functions from stored data to text."""
