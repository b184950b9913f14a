"""premium."""
