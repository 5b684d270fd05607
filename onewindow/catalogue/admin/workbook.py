"""The catalogue workbook in the admin: 导入 Excel (upload, "导入后直接发布", the error table or the
counts) and 导出 Excel, linked from the matter list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow import xlsx
from onewindow.catalogue import excel
from onewindow.catalogue.admin.common import actor_of, is_system_admin
from onewindow.errors import DomainError
from onewindow.orgs.admin_access import RoleAdmin


class WorkbookAdminMixin(RoleAdmin):
    change_list_template = "admin/catalogue/matter/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view), name="catalogue_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="catalogue_export"),
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not is_system_admin(request):
            return HttpResponse(status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        report: excel.ImportReport | None = None
        if request.method == "POST" and form.is_valid():
            report = excel.catalogue_import(
                actor=actor_of(request), sheets=form.cleaned_data["sheets"], publish=form.cleaned_data["publish"]
            )
            if report.ok:
                messages.success(
                    request,
                    gettext("导入完成：新增 %(created)s 项，更新 %(updated)s 项，未变 %(unchanged)s 项")
                    % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入 Excel"),
            "form": form,
            "report": report,
        }
        context["opts"] = self.model._meta
        return TemplateResponse(request, "admin/catalogue/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not is_system_admin(request):
            return HttpResponse(status=403)
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = (
            "attachment; filename=\"catalogue.xlsx\"; filename*=UTF-8''%E4%BA%8B%E9%A1%B9%E7%9B%AE%E5%BD%95.xlsx"
        )
        excel.catalogue_export().save(response)
        return response


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))
    publish = forms.BooleanField(label=_("导入后直接发布"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        try:
            cleaned["sheets"] = xlsx.read_sheets(
                upload,
                excel.COLUMNS,
                max_bytes=settings.EXCEL_IMPORT_MAX_BYTES,
                max_rows=settings.CATALOGUE_IMPORT_MAX_ROWS,
            )
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return cleaned
