"""The applicant portal's forms: the unified form of a matter or bundle, its materials, and what the
browser posts back, turned into what the intake services take.

The form is defined by the catalogue (a JSON-Schema subset, `catalogue.domain.schema_to_fields`), so
these are plain functions over `FieldSpec` rather than Django form classes. Input names are prefixed
(`f-<key>` for fields, `m-<key>` for materials) so no catalogue key can clash with the page's own
inputs. Validation stays in the services: a value that cannot be parsed is passed on as typed, and
the service's Chinese message is shown next to the field with the value kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from onewindow.cases.models import CaseMaterial
from onewindow.cases.services.intake.reuse import WalletDocument
from onewindow.catalogue.domain import FieldKind, FieldSpec, MergedMaterial

FIELD_PREFIX = "f-"
MATERIAL_PREFIX = "m-"
YES, NO = "yes", "no"
MATERIAL_ERROR_PREFIX = "material:"


def field_name(key: str) -> str:
    return f"{FIELD_PREFIX}{key}"


def material_name(key: str) -> str:
    return f"{MATERIAL_PREFIX}{key}"


# --- parsing what the browser posts ---------------------------------------------------------------


def _number(raw: str) -> int | float | str:
    """The number typed, or the text as typed (the service reports 应为数字 next to the field)."""
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        number = float(raw)
    except ValueError:
        return raw
    return number if math.isfinite(number) else raw


def _typed(spec: FieldSpec, raw: str) -> Any:
    if spec.kind == FieldKind.NUMBER:
        return _number(raw)
    if spec.kind == FieldKind.BOOLEAN:
        return {YES: True, NO: False}.get(raw, raw)
    return raw


def form_values(
    fields: Iterable[FieldSpec], data: QueryDict, previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The values typed into the form, by field key.

    A blank field is left out, unless an earlier value exists (a draft, a case being corrected):
    then it is None, so clearing a field clears it.
    """
    values: dict[str, Any] = {}
    for spec in fields:
        raw = str(data.get(field_name(spec.key), "")).strip()
        if raw:
            values[spec.key] = _typed(spec, raw)
        elif previous is not None and previous.get(spec.key) is not None:
            values[spec.key] = None
    return values


def material_files(
    materials: Iterable[MergedMaterial], files: MultiValueDict[str, UploadedFile]
) -> dict[str, UploadedFile]:
    """The uploaded file of each material (at most one per material), by material key."""
    chosen = {m.key: files.get(material_name(m.key)) for m in materials}
    return {key: upload for key, upload in chosen.items() if isinstance(upload, UploadedFile)}


# --- what the templates show ----------------------------------------------------------------------


def shown_value(value: Any) -> str:
    """A stored or typed value as the input shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    return str(value)


@dataclass(frozen=True)
class FormField:
    spec: FieldSpec
    value: str
    error: str

    @property
    def name(self) -> str:
        return field_name(self.spec.key)

    @property
    def input_id(self) -> str:
        return f"id_{self.name}"


@dataclass(frozen=True)
class MaterialInput:
    material: MergedMaterial
    stored: CaseMaterial | None
    error: str
    offer: WalletDocument | None = None  # 免提交: taken from the applicant's certificate wallet if not uploaded

    @property
    def name(self) -> str:
        return material_name(self.material.key)

    @property
    def input_id(self) -> str:
        return f"id_{self.name}"


def form_fields(fields: Iterable[FieldSpec], values: Mapping[str, Any], errors: Mapping[str, str]) -> list[FormField]:
    return [FormField(spec, shown_value(values.get(spec.key)), errors.get(spec.key, "")) for spec in fields]


def material_inputs(
    materials: Iterable[MergedMaterial],
    stored: Iterable[CaseMaterial],
    errors: Mapping[str, str],
    offers: Mapping[str, WalletDocument] | None = None,
) -> list[MaterialInput]:
    """One file input per material (a shared one once), with the file already given, if any, and the
    certificate the wallet would give for it."""
    given = {row.key: row for row in stored if row.file}
    offers = offers or {}
    return [
        MaterialInput(m, given.get(m.key), errors.get(f"{MATERIAL_ERROR_PREFIX}{m.key}", ""), offers.get(m.key))
        for m in materials
    ]


def other_errors(errors: Mapping[str, str], shown: Iterable[str]) -> list[str]:
    """Messages not shown next to a field or a material on the page."""
    placed = set(shown)
    return [message for key, message in errors.items() if key not in placed]


def placed_keys(fields: Iterable[FormField], materials: Iterable[MaterialInput]) -> list[str]:
    return [f.spec.key for f in fields] + [f"{MATERIAL_ERROR_PREFIX}{m.material.key}" for m in materials]
