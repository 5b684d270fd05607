"""The ranking pages: `ranks` (the month's classes, the recompute, the public board, dashboards,
rule versions) and `warnings` (warnings, their handling, and assessment)."""
