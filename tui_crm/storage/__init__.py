"""Storage layer: engine, sessions, tables and dialect specifics. Knows SQL, not the business."""
