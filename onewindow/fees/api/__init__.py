"""The fees endpoints, mounted at /api/fees/: one router per sub-domain, joined here."""

from ninja import Router

from onewindow.fees.api.bills import router as bills_router
from onewindow.fees.api.catalogue import router as catalogue_router
from onewindow.fees.api.payments import router as payments_router
from onewindow.fees.api.policies import router as policies_router
from onewindow.fees.reports.api import router as reports_router

router = Router(tags=["收费"])
router.add_router("", catalogue_router)
router.add_router("", payments_router)
router.add_router("", policies_router)
router.add_router("", reports_router)  # the reports: reconciliation, savings
router.add_router("", bills_router)
