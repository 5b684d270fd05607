"""What the apps above audit tell it at start-up, so that audit never imports them.

- **Who may see a trail.** A trail is visible exactly to those who may see its object. Each app
  registers, for each `target_type` its services record, whether a user may see object <id>,
  reusing its own scoped selector:

      register_trail_access("cases.case", found_by(lambda user, pk: case_get_for_user(user=user, case_id=pk)))

  A type nobody registered is visible to the audit admin only (who sees every trail).

- **What verify also checks.** An app whose rows restate what its events record (a case's
  status, its timeline) registers a check that compares them, page by page:

      register_consistency_check("办件", case_consistency_check)

  A check takes the page size and yields, per page, how many objects it compared and the breaks
  it found (`audit.domain.Break`, reasons in Chinese).

Register in `AppConfig.ready()` (or, for admin-only models, next to their ModelAdmin).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from onewindow.audit.domain import Break
from onewindow.errors import NotFound

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from onewindow.orgs.models import User

# (viewer, target_id as recorded in the event) → may the viewer see the object?
TrailAccess = Callable[["User", str], bool]
# page size → (objects compared, breaks found) per page
ConsistencyCheck = Callable[[int], Iterator[tuple[int, list[Break]]]]

_TRAIL_ACCESS: dict[str, TrailAccess] = {}
_CONSISTENCY_CHECKS: dict[str, ConsistencyCheck] = {}


def register_trail_access(target_type: str, may_see: TrailAccess) -> None:
    _TRAIL_ACCESS[target_type] = may_see


def trail_access(target_type: str) -> TrailAccess | None:
    return _TRAIL_ACCESS.get(target_type)


def register_consistency_check(noun: str, check: ConsistencyCheck) -> None:
    """`noun` names what the check compares, as verify reports it ("已核对 N 个<noun>")."""
    _CONSISTENCY_CHECKS[noun] = check


def consistency_checks() -> dict[str, ConsistencyCheck]:
    return dict(_CONSISTENCY_CHECKS)


def _pk(target_id: str) -> int | None:
    return int(target_id) if target_id.isascii() and target_id.isdigit() else None


def found_by(get_for_user: Callable[[User, int], object]) -> TrailAccess:
    """From an app's `<thing>_get_for_user(user, pk)`, which raises NotFound for missing and forbidden."""

    def may_see(user: User, target_id: str) -> bool:
        pk = _pk(target_id)
        if pk is None:
            return False
        try:
            get_for_user(user, pk)
        except NotFound:
            return False
        return True

    return may_see


def visible_in(visible_to: Callable[[User], QuerySet[Any]]) -> TrailAccess:
    """From an app's `<things>_visible_to(user)` queryset."""

    def may_see(user: User, target_id: str) -> bool:
        pk = _pk(target_id)
        return pk is not None and visible_to(user).filter(pk=pk).exists()

    return may_see


def granted_by(may_open: Callable[[User], bool]) -> TrailAccess:
    """For objects everyone who may open a page (an admin, a list) may see alike."""
    return lambda user, _target_id: may_open(user)
