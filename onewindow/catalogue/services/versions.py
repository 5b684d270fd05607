"""The version lifecycle that matter and bundle versions share: draft → published → retired.

One `VersionLifecycle` per kind of version holds what differs (the owner model, the stream, the
refusal messages); the steps are written once: lock the owner, refuse a second draft, number the
next one, lock a draft for editing, publish it in place of the current version, retire the current
version. Each service of `matters` and `bundles` calls these inside its own transaction and writes
its own audit event through `audit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.catalogue import domain
from onewindow.catalogue.domain import CatalogueRuleError
from onewindow.catalogue.models import Bundle, BundleVersion, Matter, MatterVersion, VersionStatus
from onewindow.errors import Conflict, DomainError
from onewindow.orgs.models import User

Owner = TypeVar("Owner", Matter, Bundle)
Version = TypeVar("Version", MatterVersion, BundleVersion)


def refused(error: CatalogueRuleError) -> DomainError:
    return DomainError(error.message, code=error.code, field=error.field)


class VersionLifecycle(Generic[Owner, Version]):
    def __init__(
        self,
        *,
        owner_model: type[Owner],
        version_model: type[Version],
        owner_field: str,
        draft_exists: Promise,
        not_published: Promise,
        owner_related: tuple[str, ...] = (),
    ) -> None:
        self.owner_model: type[Owner] = owner_model
        self.version_model: type[Version] = version_model
        self.owner_field = owner_field  # also the stream's prefix and the audit actions' noun
        self.draft_exists = draft_exists  # "%(number)s": the number of the draft that exists
        self.not_published = not_published
        self.owner_related = owner_related

    def stream(self, owner: Owner) -> str:
        return f"{self.owner_field}:{owner.pk}"

    def audit(self, owner: Owner, event: str, version: Version, actor: User | None, changes: Mapping[str, Any]) -> None:
        """Record `catalogue.<matter|bundle>_<event>` on the owner's stream."""
        audit_record(
            stream=self.stream(owner),
            action=f"catalogue.{self.owner_field}_{event}",
            target_type=self.version_model._meta.label_lower,
            target_id=version.pk,
            actor=actor,
            changes=dict(changes),
        )

    def versions(self, owner: Owner) -> Any:
        return self.version_model.objects.filter(**{self.owner_field: owner})

    def lock_owner(self, owner_id: int) -> Owner:
        owner: Owner = self.owner_model.objects.select_for_update().select_related(*self.owner_related).get(pk=owner_id)
        return owner

    def published(self, owner: Owner) -> Version | None:
        current: Version | None = self.versions(owner).filter(status=VersionStatus.PUBLISHED).first()
        return current

    def next_draft_number(self, owner: Owner) -> int:
        """The number of a new draft; a second draft is refused (the owner is locked)."""
        existing = self.versions(owner).filter(status=VersionStatus.DRAFT).first()
        if existing is not None:
            raise Conflict(
                str(self.draft_exists) % {"number": existing.number}, code=f"{self.owner_field}_draft_exists"
            )
        top: int | None = self.versions(owner).aggregate(top=Max("number"))["top"]
        return (top or 0) + 1

    def draft_from(
        self, version: Version, actor: User | None, copy: Callable[[Owner, Version, int], Version]
    ) -> Version:
        """A new draft numbered after the owner's last version, made by `copy(owner, source, number)`
        from `version` as stored; a second draft is refused."""
        owner = self.lock_owner(getattr(version, f"{self.owner_field}_id"))
        number = self.next_draft_number(owner)
        source = self.version_model.objects.get(pk=version.pk)
        draft = copy(owner, source, number)
        self.audit(owner, "draft_created", draft, actor, {"number": number, "from_number": source.number})
        return draft

    def lock_draft(self, version: Version) -> tuple[Owner, Version]:
        """The owner (locked) and the version as stored, refused unless it is a draft."""
        owner = self.lock_owner(getattr(version, f"{self.owner_field}_id"))
        locked = self.version_model.objects.get(pk=version.pk)
        try:
            domain.check_editable(locked.status)
        except CatalogueRuleError as error:
            raise Conflict(error.message, code=error.code) from error
        return owner, locked

    def replace_published(self, owner: Owner, valid_from: dt.date) -> Version | None:
        """Retire the published version the day before `valid_from`; it is returned (or None)."""
        previous = self.published(owner)
        if previous is not None and previous.valid_from and valid_from < previous.valid_from:
            raise DomainError(
                _("生效日期不能早于现行版本的生效日期（%(date)s）") % {"date": f"{previous.valid_from:%Y-%m-%d}"},
                code="version_valid_from_too_early",
                field="valid_from",
            )
        if previous is not None:
            _retire(previous, domain.previous_valid_to(valid_from))
        return previous

    def mark_published(self, draft: Version, valid_from: dt.date, *also: str) -> None:
        """Save the draft as published from `valid_from`, with the other fields named in `also`."""
        draft.status = VersionStatus.PUBLISHED
        draft.valid_from = valid_from
        draft.published_at = timezone.now()
        draft.save(update_fields=["status", "valid_from", "published_at", *also])

    def retire_published(self, owner: Owner, valid_to: dt.date | None) -> Version:
        """Retire the owner's published version, valid until `valid_to` (default today)."""
        current = self.published(owner)
        if current is None:
            raise Conflict(str(self.not_published), code=f"{self.owner_field}_not_published")
        valid_to = valid_to or timezone.localdate()
        if current.valid_from and valid_to < current.valid_from:
            raise DomainError(_("失效日期不能早于生效日期"), code="version_valid_to_too_early", field="valid_to")
        _retire(current, valid_to)
        return current


def _retire(version: MatterVersion | BundleVersion, valid_to: dt.date) -> None:
    version.status = VersionStatus.RETIRED
    version.valid_to = valid_to
    version.save(update_fields=["status", "valid_to"])
