"""免提交: a material that a valid electronic certificate of the applicant stands for is taken from
their certificate wallet (证照库) instead of being uploaded again.

The certificates app registers its wallet here (`register_wallet`, from its AppConfig.ready());
cases never imports it. A catalogue material names the certificate type it can be reused from
(`Material.certificate_type`); at submission every such material still without a file is filled with
the certificate's PDF, the row records the certificate's number, and the case's record says which
materials were reused. An applicant's own upload always wins.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from django.core.files.base import ContentFile

from onewindow import clock
from onewindow.cases.models import Case, CaseMaterial
from onewindow.cases.services.locking import LockedCase
from onewindow.cases.services.transitions import case_record
from onewindow.catalogue.domain import MergedMaterial
from onewindow.orgs.models import Applicant, User
from onewindow.uploads import upload_sha256


@dataclass(frozen=True)
class WalletDocument:
    """A valid certificate of the applicant that a material may be taken from."""

    number: str
    title: str
    filename: str
    content: Callable[[], bytes]  # the document, read only when it is taken


# The applicant's valid certificates by certificate type name, for the type names asked.
WalletLookup = Callable[[Applicant, Collection[str]], Mapping[str, WalletDocument]]
_wallets: list[WalletLookup] = []


def register_wallet(lookup: WalletLookup) -> None:
    if lookup not in _wallets:
        _wallets.append(lookup)


def wallet_offers(applicant: Applicant | None, materials: Iterable[MergedMaterial]) -> dict[str, WalletDocument]:
    """By material key: the certificate each reusable material would be taken from."""
    wanted = {m.key: m.certificate_type for m in materials if m.certificate_type}
    if applicant is None or not wanted:
        return {}
    found: dict[str, WalletDocument] = {}
    for lookup in _wallets:
        found.update(lookup(applicant, frozenset(wanted.values())))
    return {key: found[kind] for key, kind in wanted.items() if kind in found}


def reuse_from_wallet(locked: LockedCase, materials: Iterable[MergedMaterial], *, actor: User | None) -> list[str]:
    """Fill the case's materials still without a file from the applicant's wallet; the keys filled."""
    case: Case = locked.case
    offers = wallet_offers(case.applicant, materials)
    rows = list(case.materials.filter(key__in=list(offers), file="")) if offers else []
    for row in rows:
        _take(row, offers[row.key])
    if not rows:
        return []
    fields = ["file", "sha256", "size", "content_type", "uploaded_at", "reused_certificate"]
    CaseMaterial.objects.bulk_update(rows, fields)
    names = "、".join(f"{row.name}（{offers[row.key].title} {row.reused_certificate}）" for row in rows)
    case_record(
        locked=locked,
        action="case_materials_reused",
        actor=actor,
        organisation=case.region,
        from_status=case.status,
        note=f"免提交：从证照库调取 {len(rows)} 份材料：{names}",
        changes={"reused": {row.key: row.reused_certificate for row in rows}},
    )
    return [row.key for row in rows]


def _take(row: CaseMaterial, document: WalletDocument) -> None:
    upload = ContentFile(document.content(), name=document.filename)
    row.sha256 = upload_sha256(upload)
    row.size = upload.size
    row.content_type = "application/pdf"
    row.uploaded_at = clock.now()
    row.reused_certificate = document.number
    row.file.save(document.filename, upload, save=False)
