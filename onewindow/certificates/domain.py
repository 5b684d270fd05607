"""电子证照 rules, pure Python: statuses, the issuing clock (行政许可法 Art. 44), validity periods, the
licence number and the e-licence identifier (GB/T 36904), the canonical data that the SM2 signature
covers, and masking for the public verification page.

Art. 44: 行政机关作出准予行政许可的决定，需要颁发行政许可证件的，应当自作出决定之日起十日内向申请人
颁发、送达行政许可证件。 The ten days are working days (Art. 82).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from onewindow.errors import Conflict

ISSUE_LIMIT_DAYS = 10  # Art. 44, working days after the decision

# GB/T 36904 电子证照标识: the root arc for e-licences in the national OID tree.
IDENTIFIER_ROOT = "1.2.156.3005.2"


class CertificateStatus(StrEnum):
    PENDING = "pending"  # rows written with the decision; the sealed PDF not yet made
    VALID = "valid"
    SUPERSEDED = "superseded"  # 变更: a newer version replaced it
    RENEWED = "renewed"  # 延续: a renewal replaced it
    REVOKED = "revoked"  # 撤销 / 注销


STATUS_LABELS = {
    CertificateStatus.PENDING: "待签发",
    CertificateStatus.VALID: "有效",
    CertificateStatus.SUPERSEDED: "已变更（旧版本）",
    CertificateStatus.RENEWED: "已延续（旧版本）",
    CertificateStatus.REVOKED: "已撤销",
}


class RevocationKind(StrEnum):
    REVOKE = "revoke"  # 撤销 (Art. 69)
    CANCEL = "cancel"  # 注销 (Art. 70)


REVOCATION_LABELS = {RevocationKind.REVOKE: "撤销", RevocationKind.CANCEL: "注销"}


class HolderKind(StrEnum):
    ANY = "any"
    PERSON = "person"
    ENTERPRISE = "enterprise"


HOLDER_KIND_LABELS = {HolderKind.ANY: "不限", HolderKind.PERSON: "自然人", HolderKind.ENTERPRISE: "法人和其他组织"}


class Standing(StrEnum):
    """What the verification page says of one certificate version today."""

    VALID = "valid"
    PENDING = "pending"
    SUPERSEDED = "superseded"
    RENEWED = "renewed"
    REVOKED = "revoked"
    EXPIRED = "expired"


STANDING_LABELS = {
    Standing.VALID: "有效",
    Standing.PENDING: "尚未签发",
    Standing.SUPERSEDED: "已变更，本版本已失效",
    Standing.RENEWED: "已延续，本版本已由新版本替代",
    Standing.REVOKED: "已撤销",
    Standing.EXPIRED: "已过有效期",
}


class CertificateRefused(Conflict):
    """A lifecycle step the certificate's status does not allow (the message is Chinese)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)


def standing(status: CertificateStatus, valid_until: dt.date | None, today: dt.date) -> Standing:
    """Revoked, replaced and pending first; a valid one whose last day has passed has expired."""
    if status != CertificateStatus.VALID:
        return Standing(status.value)
    if valid_until is not None and today > valid_until:
        return Standing.EXPIRED
    return Standing.VALID


def check_lifecycle(status: CertificateStatus, action: str) -> None:
    """变更, 延续 and 撤销 act on the current version only; 签发 on a pending one only."""
    if action == "issue":
        if status != CertificateStatus.PENDING:
            raise CertificateRefused("该证照已签发", "certificate_already_issued")
        return
    if status == CertificateStatus.REVOKED:
        raise CertificateRefused("该证照已撤销，不能再办理", "certificate_revoked")
    if status in (CertificateStatus.SUPERSEDED, CertificateStatus.RENEWED):
        raise CertificateRefused("该证照已有新版本，请对最新版本办理", "certificate_not_current")
    if status == CertificateStatus.PENDING and action != "revoke":
        raise CertificateRefused("该证照尚未签发", "certificate_pending")


def validity_end(valid_from: dt.date, months: int) -> dt.date | None:
    """The last valid day of a period of `months` starting on `valid_from` (0: 长期有效, no end)."""
    if months <= 0:
        return None
    month_index = valid_from.month - 1 + months
    year, month = valid_from.year + month_index // 12, month_index % 12 + 1
    day = min(valid_from.day, _days_in_month(year, month))
    return dt.date(year, month, day) - dt.timedelta(days=1)


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def licence_number(prefix: str, region_code: str, year: int, sequence: int) -> str:
    """证照编号: the type's prefix, the issuing region's code, the year and a six-digit sequence."""
    return f"{prefix}{region_code}{year}{sequence:06d}"


def version_number(licence: str, version: int) -> str:
    """The number of one version (the verification page's key): 证照编号-版本号."""
    return f"{licence}-{version}"


_ALPHABET = string.digits + string.ascii_uppercase  # ISO 7064 MOD 37,36 (GB/T 17710) characters


def check_character(text: str) -> str:
    """ISO 7064 MOD 37,36 check character (GB/T 17710) over the identifier's digits and letters."""
    modulus = 36
    product = modulus
    for char in text:
        if char not in _ALPHABET:
            continue
        total = (product + _ALPHABET.index(char)) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return _ALPHABET[(modulus + 1 - product) % modulus]


def licence_identifier(type_code: str, issuer_code: str, licence: str, version: int) -> str:
    """电子证照标识 (GB/T 36904): the root, the type code, the issuer code, the licence number, the version
    (3 digits) and the check character, joined by dots."""
    body = f"{IDENTIFIER_ROOT}.{type_code}.{issuer_code}.{licence}.{version:03d}"
    return f"{body}.{check_character(body.upper())}"


def identifier_is_well_formed(identifier: str) -> bool:
    body, _, check = identifier.rpartition(".")
    return bool(body) and body.startswith(IDENTIFIER_ROOT + ".") and check_character(body.upper()) == check


@dataclass(frozen=True)
class FieldSpec:
    """One printed field of a certificate type: where its value comes from.

    source: "form:<key>" (the case's form), "holder:name" / "holder:id_number" / "holder:legal_representative",
    "case:number" / "case:title" / "case:decision_note", "matter:name", "const:<text>".
    """

    key: str
    label: str
    source: str


def parse_fields(raw: object) -> list[FieldSpec]:
    if not isinstance(raw, list):
        return []
    specs = []
    for item in raw:
        if isinstance(item, Mapping) and {"key", "label", "source"} <= item.keys():
            specs.append(FieldSpec(str(item["key"]), str(item["label"]), str(item["source"])))
    return specs


def fill_fields(specs: list[FieldSpec], sources: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """The certificate's field values from `sources` ("form", "holder", "case", "matter"); missing: ""."""
    values: dict[str, str] = {}
    for spec in specs:
        kind, _, key = spec.source.partition(":")
        if kind == "const":
            values[spec.key] = key
            continue
        value = sources.get(kind, {}).get(key, "")
        values[spec.key] = "" if value is None else str(value)
    return values


def canonical_json(payload: Mapping[str, Any]) -> bytes:
    """The bytes the SM2 signature covers: sorted keys, no spaces, UTF-8 (RFC 8785 for these values)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def mask_holder(name: str) -> str:
    """A holder's name on public pages: 张*明, 杭州**有限公司 keeps the first two and last four."""
    if len(name) <= 1:
        return "*"
    if len(name) <= 3:
        return name[0] + "*" * (len(name) - 2) + name[-1] if len(name) == 3 else name[0] + "*"
    if len(name) <= 6:
        return name[:1] + "*" * (len(name) - 2) + name[-1:]
    return name[:2] + "*" * (len(name) - 6) + name[-4:]


# --- 送达: handing a certificate over ---------------------------------------------------------------
# Downloaded in the portal (网上下载, after the rating prompt), collected at a window (窗口领取, by the
# holder or an agent whose authorisation covers 领取办理结果), or posted (邮寄送达, with the carrier's
# tracking number). Only a sealed, current, unexpired certificate is handed over.


class Method(StrEnum):
    DOWNLOAD = "download"
    WINDOW = "window"
    POST = "post"


METHOD_LABELS = {Method.DOWNLOAD: "网上下载", Method.WINDOW: "窗口领取", Method.POST: "邮寄送达"}
TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9]{8,30}$")


def check_deliverable(status: CertificateStatus, valid_until: dt.date | None, today: dt.date) -> None:
    now = standing(status, valid_until, today)
    if now is Standing.PENDING:
        raise CertificateRefused("证照尚未签发，暂不能送达", "certificate_not_issued")
    if now is not Standing.VALID:
        raise CertificateRefused("只能送达现行有效的证照版本", "certificate_not_deliverable")


def delivery_problems(method: Method, *, recipient_name: str, tracking_number: str, carrier: str) -> dict[str, str]:
    """Every problem of a window collection or a posting at once, by field."""
    problems: dict[str, str] = {}
    if method is Method.DOWNLOAD:
        return problems
    if not recipient_name.strip():
        problems["recipient_name"] = "请填写领取人或收件人姓名"
    if method is Method.POST:
        if not carrier.strip():
            problems["carrier"] = "请填写寄递单位"
        if not TRACKING_NUMBER.match(tracking_number.strip()):
            problems["tracking_number"] = "请填写寄递单号（8至30位字母或数字）"
    return problems
