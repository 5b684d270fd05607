from types import SimpleNamespace


def skip_catalogue(**kwargs):
    """Stands in for the catalogue import (the slow part, tested on its own): imports nothing."""
    return SimpleNamespace(errors=[], created=0, updated=0, unchanged=0)


def skip_key_projects(**kwargs):
    """Stands in for the key projects (a year of reports, tested on their own in test_key_projects)."""
    return {}
