"""云川市, the fictitious demo city: plain data, no Django. Read the modules in this order:

- regions.py   the city, its districts and counties, townships and streets, departments, halls
- people.py    staff (every role) and applicants
- forms.py     application materials and form fields, each defined once by key
- matters.py   the catalogue of matters
- bundles.py   the 一件事 bundles and their stages
- townships.py down to the street: township and street halls, their clerks, the matters residents
               apply for there, and the district departments that decide some of them
- synonyms.py  the starting synonym table of the catalogue's search
- key_projects.py  the key projects, their service teams and a year of progress
- story.py     when that year happens: the twelve months up to last month, whatever today is
"""

from onewindow.demo.data import forms, regions
from onewindow.demo.data.bundles import BUNDLES
from onewindow.demo.data.key_projects import key_project_staff
from onewindow.demo.data.matters import MATTERS
from onewindow.demo.data.people import DEFAULT_DEMO_PASSWORD, ENTERPRISES, PERSONS, STAFF
from onewindow.demo.data.regions import CITY_CODE, CITY_NAME, DISTRICTS, HALLS
from onewindow.demo.data.synonyms import SYNONYM_GROUPS
from onewindow.demo.data.townships import (
    COMMUNITIES,
    LEVEL_DEPARTMENTS,
    LEVEL_DISTRICTS,
    LOCAL_FIELDS,
    LOCAL_HALLS,
    LOCAL_MATERIALS,
    LOCAL_MATTERS,
    LOCAL_STAFF,
)

KEY_PROJECT_STAFF = key_project_staff()
DEPARTMENTS = regions.DEPARTMENTS + LEVEL_DEPARTMENTS
MATERIALS = {**forms.MATERIALS, **LOCAL_MATERIALS}
FIELDS = {**forms.FIELDS, **LOCAL_FIELDS}

__all__ = [
    "BUNDLES",
    "CITY_CODE",
    "CITY_NAME",
    "COMMUNITIES",
    "DEFAULT_DEMO_PASSWORD",
    "DEPARTMENTS",
    "DISTRICTS",
    "ENTERPRISES",
    "FIELDS",
    "HALLS",
    "KEY_PROJECT_STAFF",
    "LEVEL_DISTRICTS",
    "LOCAL_HALLS",
    "LOCAL_MATTERS",
    "LOCAL_STAFF",
    "MATERIALS",
    "MATTERS",
    "PERSONS",
    "STAFF",
    "SYNONYM_GROUPS",
]
