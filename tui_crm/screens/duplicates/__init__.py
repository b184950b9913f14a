"""Duplicate customers: the review list (worst first) and the side-by-side merge."""
