"""What the dispatch endpoints share: error and page schemas, bodies that forbid extra fields."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict

from onewindow.api.pagination import PageQuery
from onewindow.api.schemas import error_responses

ERRORS = error_responses(401, 403, 404, 409, 422)


class Body(Schema):
    model_config = ConfigDict(extra="forbid")


# The dispatch lists page with the shared bounds; the class keeps its name in the OpenAPI document.
class DispatchPageQuery(PageQuery):
    pass
