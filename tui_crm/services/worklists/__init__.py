"""Worklists driven by the data: renewals, care after a claim, complaint deadlines."""

__all__: list[str] = []
