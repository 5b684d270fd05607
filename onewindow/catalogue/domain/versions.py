"""The version lifecycle shared by matter and bundle versions: draft → published → retired.

Only a draft changes; a published or retired version is what cases were filed under."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from onewindow.catalogue.domain.errors import CatalogueRuleError


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


# draft → published → retired; nothing else.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.PUBLISHED}),
    Status.PUBLISHED: frozenset({Status.RETIRED}),
    Status.RETIRED: frozenset(),
}

STATUS_LABELS = {Status.DRAFT: "草稿", Status.PUBLISHED: "已发布", Status.RETIRED: "已废止"}


def check_transition(current: str, target: str) -> None:
    if Status(target) not in TRANSITIONS[Status(current)]:
        raise CatalogueRuleError(
            f"{STATUS_LABELS[Status(current)]}状态的版本不能改为{STATUS_LABELS[Status(target)]}",
            code=f"version_not_{current}_to_{target}",
        )


def check_editable(status: str) -> None:
    """Only a draft changes; a published or retired version is what cases were filed under."""
    if status != Status.DRAFT:
        raise CatalogueRuleError(
            f"{STATUS_LABELS[Status(status)]}的版本不能修改，请基于此版本新建草稿", code="version_not_editable"
        )


def previous_valid_to(new_valid_from: dt.date) -> dt.date:
    """The version before ends the day before its successor starts."""
    return new_valid_from - dt.timedelta(days=1)
