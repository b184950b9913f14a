"""Alembic migrations of the book's schema (see docs/operations.md, "Schema changes")."""
