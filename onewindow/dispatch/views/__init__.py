"""The dispatch pages (/dispatch/): reports and photos, the office's lists and cycles, problems."""
