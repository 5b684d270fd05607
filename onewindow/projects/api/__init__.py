"""The key-project JSON API, mounted at /api/projects/: the registry and the roadmap, one router each.

Every endpoint accepts the browser session or a bearer token (POST /api/cases/auth/token), reads
through `onewindow.projects.selectors` (a project the caller may not see is a 404 like a missing
one) and writes through the services (403 project_office_required for anyone but the office).
Errors are {code, message, errors} with stable codes and Chinese messages.
"""

from ninja import Router

from onewindow.projects.api.registry import router as registry_router
from onewindow.projects.api.roadmap import router as roadmap_router

router = Router(tags=["重点项目"])
router.add_router("", registry_router)
router.add_router("", roadmap_router)
