"""The roster of loss adjusters on duty (查勘员排班)."""
