"""The fees endpoints, mounted at /api/fees/: one router per sub-domain, joined here."""

from ninja import Router

from onewindow.fees.api.bills import router as bills_router
from onewindow.fees.api.catalogue import router as catalogue_router

router = Router(tags=["收费"])
router.add_router("", catalogue_router)
router.add_router("", bills_router)
