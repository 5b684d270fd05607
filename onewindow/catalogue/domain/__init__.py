"""Pure catalogue rules. No Django here (an import-linter contract enforces it).

    errors      CatalogueRuleError: a rule refused something (services turn it into a DomainError)
    forms       form fields and their JSON-Schema subset, validating submitted values, a bundle's
                unified form
    materials   material specs, the commitment letter of 告知承诺, a bundle's merged materials
    matters     what a matter version says: limits, review rules, its content as plain data
    versions    draft → published → retired, shared by matter and bundle versions
    search      the words of the search index and of queries

Everything public is importable from `onewindow.catalogue.domain` itself.
"""

from onewindow.catalogue.domain.errors import CatalogueRuleError
from onewindow.catalogue.domain.forms import (
    FIELD_KEY_RE,
    FIELD_KIND_LABELS,
    FieldKind,
    FieldSpec,
    Number,
    check_schema,
    field_problem,
    fields_problems,
    fields_to_schema,
    merge_form_schemas,
    normalise_number,
    schema_to_fields,
    validate_form,
)
from onewindow.catalogue.domain.materials import (
    COMMITMENT_LETTER,
    MaterialLike,
    MaterialSpec,
    MergedMaterial,
    materials_problems,
    merge_materials,
    with_commitment_letter,
)
from onewindow.catalogue.domain.matters import (
    DEFAULT_RECTIFICATION_DAYS,
    MATTER_CONTENT_FIELDS,
    MAX_RECTIFICATION_DAYS,
    MAX_SIGNOFFS,
    MAX_VISITS,
    MatterContent,
    check_limits,
    check_review_rules,
    content_changes,
    limits_problems,
    review_rule_problems,
)
from onewindow.catalogue.domain.search import bundle_search_text, matter_search_text, search_words
from onewindow.catalogue.domain.versions import (
    STATUS_LABELS,
    TRANSITIONS,
    Status,
    check_editable,
    check_transition,
    previous_valid_to,
)

__all__ = [
    "COMMITMENT_LETTER",
    "DEFAULT_RECTIFICATION_DAYS",
    "FIELD_KEY_RE",
    "FIELD_KIND_LABELS",
    "MATTER_CONTENT_FIELDS",
    "MAX_RECTIFICATION_DAYS",
    "MAX_SIGNOFFS",
    "MAX_VISITS",
    "STATUS_LABELS",
    "TRANSITIONS",
    "CatalogueRuleError",
    "FieldKind",
    "FieldSpec",
    "MaterialLike",
    "MaterialSpec",
    "MatterContent",
    "MergedMaterial",
    "Number",
    "Status",
    "bundle_search_text",
    "check_editable",
    "check_limits",
    "check_review_rules",
    "check_schema",
    "check_transition",
    "content_changes",
    "field_problem",
    "fields_problems",
    "fields_to_schema",
    "limits_problems",
    "materials_problems",
    "matter_search_text",
    "merge_form_schemas",
    "merge_materials",
    "normalise_number",
    "previous_valid_to",
    "review_rule_problems",
    "schema_to_fields",
    "search_words",
    "validate_form",
    "with_commitment_letter",
]
