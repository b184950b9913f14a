"""Textual screens, one per module. They talk to services only."""
