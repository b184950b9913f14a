"""Reusable widgets: they take data and emit messages; no services, no storage."""
