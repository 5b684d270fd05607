"""The JSON API: one NinjaAPI, one router per app, errors with stable codes in Chinese."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from onewindow.errors import DomainError, InvalidFields


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="onewindow API",
    version="1",
    description="一窗受理政务服务平台 API。错误响应统一为 {code, message, errors}。",
    renderer=ChineseJSONRenderer(),
    urls_namespace="api",
)


def error_body(code: str, message: str, errors: list[dict[str, object]] | None = None) -> dict[str, object]:
    return {"code": code, "message": message, "errors": errors or []}


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors: list[dict[str, object]] = [{"field": exc.field, "message": exc.message}] if exc.field else []
    if isinstance(exc, InvalidFields):
        errors = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return api.create_response(request, error_body(exc.code, exc.message, errors), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, object]] = [
        {"field": ".".join(str(part) for part in error.get("loc", [])), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return api.create_response(request, error_body("invalid_input", "输入有误,请检查后重试", errors), status=422)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("not_authenticated", "请先登录"), status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body(f"http_{exc.status_code}", str(exc)), status=exc.status_code)


def _add_routers() -> None:
    from onewindow.audit.api import router as audit_router
    from onewindow.briefings.api import router as briefings_router
    from onewindow.cases.api import router as cases_router
    from onewindow.catalogue.api import router as catalogue_router
    from onewindow.dispatch.api import router as dispatch_router
    from onewindow.orgs.api import router as orgs_router
    from onewindow.projects.api import router as projects_router
    from onewindow.ranking.api import router as ranking_router
    from onewindow.workdays.api import router as workdays_router

    api.add_router("/catalogue", catalogue_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/audit", audit_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/cases", cases_router)
    api.add_router("/projects", projects_router)
    api.add_router("/dispatch", dispatch_router)
    api.add_router("/ranking", ranking_router)
    api.add_router("/briefings", briefings_router)


_add_routers()
