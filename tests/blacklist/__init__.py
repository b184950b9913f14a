"""blacklist."""
