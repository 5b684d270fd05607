"""Finding the projects an office names by code (for campaigns and concentrated starts)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from onewindow.briefings.selectors.access import office_projects
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User
from onewindow.projects.models import Project

MAX_CODES = 200
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_codes(text: str) -> list[str]:
    """Project codes typed one per line or separated by commas, 、 or semicolons; repeats dropped."""
    return list(dict.fromkeys(code for code in _SEPARATORS.split(text) if code))


def projects_by_codes(actor: User, codes: list[str], *, field: str = "projects") -> list[Project]:
    """The projects the actor manages as office, in the order named; every unknown code reported at once."""
    if not codes:
        raise InvalidFields(
            _("请填写项目编码"), errors={field: _("请至少填写一个项目编码")}, code="project_codes_required"
        )
    if len(codes) > MAX_CODES:
        message = _("一次最多添加 %(count)d 个项目") % {"count": MAX_CODES}
        raise InvalidFields(message, errors={field: message}, code="project_codes_too_many")
    found = {p.code: p for p in office_projects(actor).filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        message = _("未找到或无权管理的项目编码：%(codes)s") % {"codes": "、".join(missing[:20])}
        raise InvalidFields(message, errors={field: message}, code="project_codes_unknown")
    return [found[code] for code in codes]
