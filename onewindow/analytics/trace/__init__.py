"""Tracing a figure to its cases: `/analytics/cases/`, its Excel export and `GET /api/analytics/cases`."""
