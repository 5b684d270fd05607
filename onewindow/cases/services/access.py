"""What a user who may not act on a case is told: the one place that decides between 403 and 404.

A user who may see the case (`selectors.visible_cases`: their own as the applicant, or within their
organisations as staff; for the joint decision also the lead department) and may not do this action
is told why: the refusal with its reason (403). Anyone else gets exactly the NotFound of a case or a
task that does not exist (404), so that an action never tells an outsider that the case exists.

Every permission check of the services (`_require_*`) raises what `refusal` returns. It reads the
case's visibility only when the check has failed: a permitted step costs no query more.
"""

from __future__ import annotations

from onewindow.cases import selectors
from onewindow.cases.models import Case
from onewindow.errors import DomainError, NotFound
from onewindow.orgs.domain import is_within
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import membership_paths


def may_see(actor: User | None, case: Case, *, lead: Organisation | None = None) -> bool:
    """The actor may open the case (or, with `lead`, belongs to the department that decides it)."""
    if actor is None or not actor.is_authenticated:
        return False
    if lead is not None and is_within(lead.path, membership_paths(actor, selectors.STAFF_ROLES)):
        return True
    return selectors.visible_cases(actor).filter(pk=case.pk).exists()


def refusal(
    actor: User | None,
    case: Case,
    refused: DomainError,
    *,
    missing: NotFound | None = None,
    lead: Organisation | None = None,
) -> DomainError:
    """`refused` for an actor who may see the case; otherwise `missing` (default: case not found)."""
    if may_see(actor, case, lead=lead):
        return refused
    return missing or selectors.case_not_found()
