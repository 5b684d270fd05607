"""Scoped reads of the briefings app. Who sees what:

- a monthly report: its leader, and the key-project offices whose region covers every project
  in it (the report's `region`): the city's office sees all, a district's office the reports of
  leaders whose projects all lie in that district;
- a campaign or a concentrated start (a group of projects, `groups`): whoever sees one of its
  projects (projects_visible_to); a key-project office also sees those organised by its region,
  above it or below it, before they hold any of its projects (not those of another district). An
  office manages it (adds and removes projects) when every project in it lies in the office's region.

A report, campaign or event the user may not see is "not found", exactly like a missing one.
"""

from onewindow.briefings.selectors.access import is_office, office_projects

__all__ = ["is_office", "office_projects"]
