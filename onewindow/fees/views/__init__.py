"""The fees pages, by sub-domain (see urls.py): catalogue.py (items, policies, the estimate)."""
