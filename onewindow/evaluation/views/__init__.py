"""The evaluation pages (urls.py): the applicant's (portal.py), the staff's (staff.py), statistics (stats.py)."""
