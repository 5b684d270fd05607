"""The JSON API: one NinjaAPI, one router per app, one way to authenticate, errors with stable codes in Chinese."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from onewindow.api.auth import API_AUTH
from onewindow.errors import DomainError, InvalidFields
from onewindow.web.middleware import UNREADABLE_BODY_CODE, UNREADABLE_BODY_MESSAGE


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


DESCRIPTION = """一窗受理政务服务平台 API。

认证：App、小程序用 POST /api/cases/auth/token（用户名、密码）换取登录凭证，每个请求带请求头
Authorization: Bearer <token>，不需要 Cookie 与 CSRF；凭证无效或过期时为 401（token_invalid、token_expired），
不会改用登录会话。浏览器使用登录会话，POST、PUT、DELETE 另带请求头 X-CSRFToken，缺少或不符时为 403
csrf_failed。公开接口（事项目录、工作日历、进度牌、获取登录凭证）无需认证。

错误响应统一为 {code, message, errors}：code 为稳定的错误代码，message 为中文说明，errors 为逐项错误。"""


api = NinjaAPI(
    title="onewindow API",
    version="1",
    description=DESCRIPTION,
    renderer=ChineseJSONRenderer(),
    auth=API_AUTH,
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
    return api.create_response(request, error_body("invalid_input", "输入有误，请检查后重试", errors), status=422)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("not_authenticated", "请先登录"), status=401)


# ninja's own errors carry English text; the one a client meets is a body it cannot parse (the answer
# web.middleware.RejectBadInputMiddleware gives a form body it cannot parse, before any view runs).
HTTP_ERRORS = {400: (UNREADABLE_BODY_CODE, UNREADABLE_BODY_MESSAGE)}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = HTTP_ERRORS.get(exc.status_code, (f"http_{exc.status_code}", str(exc)))
    return api.create_response(request, error_body(code, str(message)), status=exc.status_code)


@csrf_exempt  # it changes nothing, and a POST to a wrong path should hear so rather than about CSRF
def not_found(request: HttpRequest) -> HttpResponse:
    """Any /api/ path no endpoint matches (say /api/cases/cases/-1): the API's error body, not the site's HTML page."""
    return api.create_response(request, error_body("not_found", "未找到该地址，请检查请求路径。"), status=404)


def _add_routers() -> None:
    from onewindow.agency.api import router as agency_router
    from onewindow.analytics.bottlenecks.api import router as bottlenecks_router
    from onewindow.analytics.figures.api import router as analytics_router
    from onewindow.analytics.forecast.api import router as forecast_router
    from onewindow.analytics.reforms.api import router as reforms_router
    from onewindow.analytics.report.api import router as analytics_report_router
    from onewindow.analytics.trace.api import router as analytics_trace_router
    from onewindow.audit.api import router as audit_router
    from onewindow.briefings.api import router as briefings_router
    from onewindow.cases.api import router as cases_router
    from onewindow.catalogue.api import router as catalogue_router
    from onewindow.certificates.api import router as certificates_router
    from onewindow.dispatch.api import router as dispatch_router
    from onewindow.evaluation.api import router as evaluation_router
    from onewindow.fees.api import router as fees_router
    from onewindow.halls.api import router as halls_router
    from onewindow.jobs.api import router as jobs_router
    from onewindow.orgs.api import router as orgs_router
    from onewindow.projects.api import router as projects_router
    from onewindow.ranking.api import router as ranking_router
    from onewindow.tickets.api import router as tickets_router
    from onewindow.workdays.api import router as workdays_router

    api.add_router("/catalogue", catalogue_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/audit", audit_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/cases", cases_router)
    api.add_router("/projects", projects_router)
    api.add_router("/agency", agency_router)
    api.add_router("/certificates", certificates_router)
    api.add_router("/evaluation", evaluation_router)
    api.add_router("/dispatch", dispatch_router)
    api.add_router("/ranking", ranking_router)
    api.add_router("/briefings", briefings_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/halls", halls_router)
    api.add_router("/tickets", tickets_router)
    api.add_router("/fees", fees_router)
    api.add_router("/analytics", analytics_router)
    api.add_router("/analytics/forecast", forecast_router)
    api.add_router("/analytics", bottlenecks_router)
    api.add_router("/analytics", analytics_report_router)
    api.add_router("/analytics", reforms_router)
    api.add_router("/analytics", analytics_trace_router)


_add_routers()
