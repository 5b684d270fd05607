"""Writes to the catalogue. Each use case is one transaction with its audit event inside.

A published version never changes: edits go to a draft (`matter_version_draft_from` copies a
version with its materials), and publishing a draft retires the version it replaces.

    versions    the lifecycle matter and bundle versions share (draft → published → retired)
    matters     matters and their versions, with materials and form
    bundles     bundles (一件事), their stages, and publication pinning the matter versions
    synonyms    the synonym table of search (`services.synonyms.synonym_group_create` and the like)

The use cases are importable from `onewindow.catalogue.services` itself.
"""

from onewindow.catalogue.services.bundles import (
    StageSpec,
    bundle_create,
    bundle_retire,
    bundle_version_draft_from,
    bundle_version_publish,
    bundle_version_update,
    stages_of,
    stages_summary,
)
from onewindow.catalogue.services.matters import (
    materials_of,
    matter_content_check,
    matter_content_of,
    matter_create,
    matter_retire,
    matter_version_draft_from,
    matter_version_publish,
    matter_version_update,
)

__all__ = [
    "StageSpec",
    "bundle_create",
    "bundle_retire",
    "bundle_version_draft_from",
    "bundle_version_publish",
    "bundle_version_update",
    "materials_of",
    "matter_content_check",
    "matter_content_of",
    "matter_create",
    "matter_retire",
    "matter_version_draft_from",
    "matter_version_publish",
    "matter_version_update",
    "stages_of",
    "stages_summary",
]
