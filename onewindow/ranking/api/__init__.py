"""The ranking JSON API, mounted at /api/ranking/: one router per part, added here.

Every endpoint but the public board accepts the browser session or a bearer token, checks the
caller may open ranking data (403 ranking_forbidden otherwise) and reads through
`onewindow.ranking.selectors` (scoped) or calls one service. A period is "YYYY-MM"; a wrong one is
400 invalid_period. A warning or score the caller may not see is a 404 like a missing one; a write
on a visible warning by someone other than the warned district's office is a 403.
"""

from ninja import Router

from onewindow.ranking.api.ranks import router as ranks_router
from onewindow.ranking.api.warnings import router as warnings_router

router = Router(tags=["量化排位"])
router.add_router("", ranks_router)
router.add_router("", warnings_router)
