"""Materials: what a matter asks for, the signed commitment of 告知承诺, and a bundle's materials
asked for once per key."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class MaterialSpec:
    key: str
    name: str
    required: bool = True
    form: str = "original"
    deferrable: bool = False
    certificate_type: str = ""
    copies: int = 1


# 告知承诺: the applicant's signed commitment. Not needed for ordinary acceptance; approval on
# commitment is refused while the case has no file for it (cases.services.intake).
COMMITMENT_LETTER = MaterialSpec(key="commitment_letter", name="告知承诺书", required=False, form="original")


def with_commitment_letter(materials: Sequence[MaterialSpec], *, commitment_allowed: bool) -> list[MaterialSpec]:
    """The materials of a matter version: one that allows 告知承诺 lists the commitment letter (added
    at the end unless a material with its key is there)."""
    listed = list(materials)
    if commitment_allowed and all(m.key != COMMITMENT_LETTER.key for m in listed):
        listed.append(COMMITMENT_LETTER)
    return listed


def materials_problems(materials: Sequence[MaterialSpec]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for material in materials:
        if not material.key.strip():
            problems.append(f"材料“{material.name}”缺少材料编码")
        elif material.key in seen:
            problems.append(f"材料编码“{material.key}”在同一事项中重复")
        if not material.name.strip():
            problems.append(f"材料“{material.key}”缺少材料名称")
        if material.copies < 1:
            problems.append(f"材料“{material.name}”的份数至少为 1")
        seen.add(material.key)
    return problems


# ---------------------------------------------------------------------------------------------
# Bundles: one list of materials


class MaterialLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def form(self) -> str: ...
    @property
    def deferrable(self) -> bool: ...
    @property
    def certificate_type(self) -> str: ...
    @property
    def copies(self) -> int: ...


@dataclass(frozen=True)
class MergedMaterial:
    """A material asked for once in a bundle, with the matters that use it."""

    key: str
    name: str
    required: bool
    form: str
    deferrable: bool
    certificate_type: str
    copies: int
    used_by: tuple[str, ...] = field(default=())


def _merge_one(current: MergedMaterial, material: MaterialLike, matter_name: str) -> MergedMaterial:
    return MergedMaterial(
        key=current.key,
        name=current.name,
        required=current.required or material.required,
        form=current.form,
        # Deferrable only if every matter allows deferring it.
        deferrable=current.deferrable and material.deferrable,
        certificate_type=current.certificate_type or material.certificate_type,
        copies=max(current.copies, material.copies),
        used_by=current.used_by if matter_name in current.used_by else (*current.used_by, matter_name),
    )


def merge_materials(materials: Sequence[tuple[str, Iterable[MaterialLike]]]) -> list[MergedMaterial]:
    """Materials of a bundle, deduplicated by key: a shared one is submitted once.

    Required if any matter requires it; the first matter's name and form are kept.
    """
    merged: dict[str, MergedMaterial] = {}
    for matter_name, items in materials:
        for material in items:
            current = merged.get(material.key)
            if current is None:
                merged[material.key] = MergedMaterial(
                    key=material.key,
                    name=material.name,
                    required=material.required,
                    form=material.form,
                    deferrable=material.deferrable,
                    certificate_type=material.certificate_type,
                    copies=material.copies,
                    used_by=(matter_name,),
                )
            else:
                merged[material.key] = _merge_one(current, material, matter_name)
    return list(merged.values())
