"""The certificates' pages: `pages` (staff, applicants, public verification) and `delivery` (送达: the
rating prompt before a download, window collection and posting)."""
