"""Thin callbacks (UI values → core → UI), one module per layout module with the same stem."""
