"""Writes to the synonym table (同义词) the system admin keeps for the catalogue's search.

Each use case is one transaction with its audit event inside, on the stream `synonyms:<group id>`.
Searches read the table at query time (`selectors_search.synonyms_current`): nothing is reindexed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.catalogue import search
from onewindow.catalogue.domain import CatalogueRuleError
from onewindow.catalogue.models import Synonym, SynonymGroup
from onewindow.errors import Conflict, DomainError
from onewindow.orgs.models import User

TARGET_TYPE = "catalogue.synonymgroup"


class SynonymWordTaken(Conflict):
    code = "synonym_word_taken"


def _cleaned(words: Sequence[str]) -> tuple[str, ...]:
    try:
        return search.synonym_words(words)
    except CatalogueRuleError as error:
        raise DomainError(error.message, code=error.code, field=error.field) from error


def _words_of(group: SynonymGroup) -> list[str]:
    return list(group.synonyms.order_by("position").values_list("word", flat=True))


def _taken(word: str) -> SynonymWordTaken:
    return SynonymWordTaken(_("“%(word)s”已在另一组同义词中，一个词只能属于一组") % {"word": word})


def _write_words(group: SynonymGroup, words: Sequence[str]) -> None:
    """Replace the group's words; a word another group holds is refused (the unique constraint decides)."""
    other = Synonym.objects.filter(word__in=words).exclude(group=group).values_list("word", flat=True).first()
    if other is not None:
        raise _taken(other)
    group.synonyms.all().delete()
    try:
        with transaction.atomic():  # a savepoint: a concurrent writer's word is a Conflict, not a 500
            Synonym.objects.bulk_create(
                [Synonym(group=group, word=word, position=index) for index, word in enumerate(words)]
            )
    except IntegrityError:
        taken = Synonym.objects.filter(word__in=words).exclude(group=group).values_list("word", flat=True).first()
        raise _taken(taken or words[0]) from None


def _audit(group: SynonymGroup, action: str, actor: User | None, changes: dict[str, Any]) -> None:
    audit_record(
        stream=f"synonyms:{group.pk}",
        action=f"catalogue.{action}",
        target_type=TARGET_TYPE,
        target_id=group.pk,
        actor=actor,
        changes=changes,
    )


@transaction.atomic
def synonym_group_create(*, actor: User | None, words: Sequence[str], note: str = "") -> SynonymGroup:
    """A new group of words that mean the same; searches use it from the next query on."""
    cleaned = _cleaned(words)
    group = SynonymGroup.objects.create(note=note.strip())
    _write_words(group, cleaned)
    _audit(group, "synonyms_created", actor, {"words": list(cleaned), "note": group.note})
    return group


@transaction.atomic
def synonym_group_update(*, actor: User | None, group: SynonymGroup, words: Sequence[str], note: str) -> SynonymGroup:
    """Replace a group's words and note; saving the same words and note again writes nothing."""
    locked = SynonymGroup.objects.select_for_update().get(pk=group.pk)
    cleaned = _cleaned(words)
    before = _words_of(locked)
    changes: dict[str, Any] = {}
    if list(cleaned) != before:
        _write_words(locked, cleaned)
        changes["words"] = [before, list(cleaned)]
    if note.strip() != locked.note:
        changes["note"] = [locked.note, note.strip()]
        locked.note = note.strip()
    if not changes:
        return locked
    locked.save(update_fields=["note", "updated_at"])
    _audit(locked, "synonyms_edited", actor, changes)
    return locked


@transaction.atomic
def synonym_group_delete(*, actor: User | None, group: SynonymGroup) -> None:
    locked = SynonymGroup.objects.select_for_update().filter(pk=group.pk).first()
    if locked is None:
        return  # already deleted: nothing to record
    _audit(locked, "synonyms_deleted", actor, {"words": _words_of(locked), "note": locked.note})
    locked.delete()
