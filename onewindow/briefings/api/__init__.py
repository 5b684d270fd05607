"""The briefings JSON API, mounted at /api/briefings/: monthly leader reports, campaigns, concentrated starts.

Every endpoint accepts the browser session or a bearer token (POST /api/cases/auth/token), reads
through `onewindow.briefings.selectors` (what the caller may not see is a 404 like a missing one)
and writes through the services (403 for anyone but the key-project office). Errors are
{code, message, errors} with stable codes and Chinese messages.
"""

from ninja import Router

from onewindow.briefings.api.campaigns import router as campaigns_router
from onewindow.briefings.api.reports import router as reports_router
from onewindow.briefings.api.starts import router as starts_router

router = Router(tags=["领导月报与攻坚行动"])
router.add_router("", reports_router)
router.add_router("", campaigns_router)
router.add_router("", starts_router)
