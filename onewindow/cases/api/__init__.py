"""The cases JSON API, mounted at /api/cases/: one router per sub-domain, added here."""

from ninja import Router

from onewindow.cases.api.commitment import router as commitment_router
from onewindow.cases.api.deferral import router as deferral_router
from onewindow.cases.api.intake import router as intake_router
from onewindow.cases.api.read import router as read_router
from onewindow.cases.api.review import router as review_router

router = Router(tags=["办件"])
router.add_router("", read_router)
router.add_router("", intake_router)
router.add_router("", review_router)
router.add_router("", deferral_router)
router.add_router("", commitment_router)
