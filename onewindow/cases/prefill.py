"""The window intake filled in for a person at the window (a queue ticket's applicant): a signed,
short-lived `?prefill=` token carries the applicant's id (or, for a walk-in not yet registered, the ID
number typed at the kiosk), so that no one reaches an applicant's details by guessing an id."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.http import QueryDict

from onewindow.orgs.models import Applicant

SALT = "onewindow.cases.window_prefill"
MAX_AGE = dt.timedelta(hours=12)


def window_prefill_token(*, applicant_id: int | None = None, id_number: str = "") -> str:
    return signing.dumps({"a": applicant_id, "i": id_number}, salt=SALT, compress=True)


def window_prefill_values(token: str) -> QueryDict:
    """The applicant fields of the intake form; empty for a bad or old token."""
    values = QueryDict(mutable=True)
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return values
    if not isinstance(data, dict):
        return values
    applicant = Applicant.objects.filter(pk=data.get("a") or 0).first()
    if applicant is not None:
        values.update(
            {
                "applicant_kind": applicant.kind,
                "applicant_name": applicant.name,
                "id_number": applicant.id_number,
                "phone": applicant.phone,
            }
        )
    elif isinstance(data.get("i"), str) and data["i"]:
        values.update({"applicant_kind": Applicant.Kind.PERSON, "id_number": data["i"]})
    return values
