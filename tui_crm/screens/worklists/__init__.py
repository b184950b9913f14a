"""Worklists: renewals of expiring policies (and later care and complaint queues)."""
