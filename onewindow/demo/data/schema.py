"""The shapes of the demo city's data: plain frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A township (镇/乡, level "township") or a street (街道, level "street")."""

    code: str
    name: str
    level: str


@dataclass(frozen=True)
class District:
    """A district (区, level "district") or a county (县, level "county") of the city."""

    code: str
    name: str
    level: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Department:
    """A department under a region; `code` is "<region code>-<abbreviation>"."""

    code: str
    name: str
    short_name: str
    region: str


@dataclass(frozen=True)
class WindowSpec:
    number: str
    name: str
    department: str | None = None  # None: a comprehensive window (综合窗口)


@dataclass(frozen=True)
class HallSpec:
    region: str
    name: str
    address: str
    windows: tuple[WindowSpec, ...]
    opening_hours: str = "工作日 9:00-12:00, 13:30-17:30"


@dataclass(frozen=True)
class StaffSpec:
    username: str
    name: str
    role: str  # a value of onewindow.orgs.domain.Role
    organisation: str  # Organisation.code
    phone: str


@dataclass(frozen=True)
class PersonSpec:
    """A citizen; `id_stem` is the 17 digits before the check digit (region, birth date, sequence)."""

    username: str
    name: str
    id_stem: str
    phone: str


@dataclass(frozen=True)
class EnterpriseSpec:
    """An enterprise; `code_stem` is the 17 characters of its credit code before the check digit."""

    name: str
    code_stem: str
    legal_representative: str  # username of the person who represents it and applies online
    phone: str


@dataclass(frozen=True)
class MaterialSpec:
    """One document; the same key in several matters is the same document (a bundle asks once)."""

    name: str
    required: bool = True
    form: str = "复印件"  # 原件 / 复印件 / 电子
    deferrable: bool = False  # 可容缺: may follow after acceptance
    certificate_type: str = ""  # e-certificate it can be reused from
    copies: int = 1


@dataclass(frozen=True)
class FieldSpec:
    """One form field; the same key in several matters is one field of a bundle's unified form."""

    label: str
    type: str = "文本"  # 文本 / 数字 / 日期 / 选择 / 是否
    required: bool = True
    pattern: str = ""
    minimum: int | None = None
    maximum: int | None = None
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatterSpec:
    code: str
    name: str
    department: str
    category: str
    legal_basis: str
    statutory_days: int
    promised_days: int
    conditions: str
    materials: tuple[str, ...]
    fields: tuple[str, ...]
    online_level: str = "网上受理"  # 全程网办 / 网上受理 / 窗口办理
    max_visits: int = 1
    commitment: bool = False  # 告知承诺制 allowed
    fee: str = "不收费"
    location: str = "云川市政务服务中心综合窗口"


@dataclass(frozen=True)
class StageSpec:
    name: str
    lead_department: str
    matters: tuple[str, ...]


@dataclass(frozen=True)
class BundleSpec:
    code: str
    name: str
    stages: tuple[StageSpec, ...] = field(default_factory=tuple)

    @property
    def matter_codes(self) -> tuple[str, ...]:
        return tuple(code for stage in self.stages for code in stage.matters)
