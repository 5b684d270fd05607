"""The dispatch JSON API, mounted at /api/dispatch/: cycles, reports, problems."""

from ninja import Router

from onewindow.dispatch.api.cycles import router as cycles_router
from onewindow.dispatch.api.problems import router as problems_router
from onewindow.dispatch.api.reports import router as reports_router

router = Router(tags=["项目调度"])
router.add_router("", cycles_router)
router.add_router("", reports_router)
router.add_router("", problems_router)
