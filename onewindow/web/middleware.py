from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose another language: the browser's Accept-Language is not a choice.

    A government platform answers in its official language first; English is one click away
    (the language switch sets the cookie this reads).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


# A request body no endpoint can read (a form without its multipart boundary, JSON that does not parse).
UNREADABLE_BODY_CODE = "unreadable_body"
UNREADABLE_BODY_MESSAGE = _("请求内容格式有误，无法读取，请检查后重新提交。")
NUL_MESSAGE = _("输入中含有空字符（NUL），无法处理，请删除后重试。")


class RejectBadInputMiddleware:
    """Answer 400 before any view runs to a request whose input no field could take.

    - A NUL character anywhere a value comes from (path, query, form fields, file names, JSON):
      PostgreSQL cannot store NUL in text, so such a value used to reach a query as a server error,
      while SQLite stored it. No field of the platform has a use for it. File contents are binary
      and never a text column, so they are not looked at.
    - A form body that cannot be parsed (multipart without its boundary, say).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            carries_nul = _carries_nul(request)
        except MultiPartParserError:
            return _bad_request(request, UNREADABLE_BODY_CODE, str(UNREADABLE_BODY_MESSAGE))
        if carries_nul:
            return _bad_request(request, "nul_character", str(NUL_MESSAGE))
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "%00" in query or "\x00" in query:
        return True
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return False
    if request.content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        fields = [text for key, values in request.POST.lists() for text in (key, *values)]
        names = [upload.name or "" for _key, uploads in request.FILES.lists() for upload in uploads]
        return any("\x00" in text for text in (*fields, *names))
    return b"\x00" in request.body or b"\\u0000" in request.body


def _bad_request(request: HttpRequest, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"code": code, "message": message, "errors": []}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/bad_request.html", {"message": message}, status=400)
