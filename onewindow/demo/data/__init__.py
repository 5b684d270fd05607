"""云川市, the fictitious demo city: plain data, no Django. Read the modules in this order:

- regions.py   the city, its districts and counties, townships and streets, departments, halls
- people.py    staff (every role) and applicants
- forms.py     application materials and form fields, each defined once by key
- matters.py   the catalogue of matters
- bundles.py   the 一件事 bundles and their stages
- synonyms.py  the starting synonym table of the catalogue's search
- key_projects.py  the key projects, their service teams and a year of progress
- story.py     when that year happens: the twelve months up to last month, whatever today is
"""

from onewindow.demo.data.bundles import BUNDLES
from onewindow.demo.data.forms import FIELDS, MATERIALS
from onewindow.demo.data.key_projects import key_project_staff
from onewindow.demo.data.matters import MATTERS
from onewindow.demo.data.people import DEFAULT_DEMO_PASSWORD, ENTERPRISES, PERSONS, STAFF
from onewindow.demo.data.regions import CITY_CODE, CITY_NAME, DEPARTMENTS, DISTRICTS, HALLS
from onewindow.demo.data.synonyms import SYNONYM_GROUPS

KEY_PROJECT_STAFF = key_project_staff()

__all__ = [
    "BUNDLES",
    "CITY_CODE",
    "CITY_NAME",
    "DEFAULT_DEMO_PASSWORD",
    "DEPARTMENTS",
    "DISTRICTS",
    "ENTERPRISES",
    "FIELDS",
    "HALLS",
    "KEY_PROJECT_STAFF",
    "MATERIALS",
    "MATTERS",
    "PERSONS",
    "STAFF",
    "SYNONYM_GROUPS",
]
