"""Public catalogue pages (no login): the searchable list of matters and bundles, a matter's guide and a
bundle's page."""

from __future__ import annotations

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from onewindow.catalogue import search, selectors, selectors_search
from onewindow.catalogue.models import Category, MatterVersion, OnlineLevel
from onewindow.catalogue.services.searched import CatalogueSearched, catalogue_searched
from onewindow.errors import NotFound

PAGE_SIZE = 20


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=search.MAX_QUERY_LENGTH)
    department = forms.ChoiceField(label=_("实施部门"), required=False)
    category = forms.ChoiceField(label=_("事项类型"), required=False, choices=[("", _("全部类型")), *Category.choices])
    online_level = forms.ChoiceField(
        label=_("网办深度"), required=False, choices=[("", _("全部")), *OnlineLevel.choices]
    )

    def __init__(self, *args: object, departments: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].choices = [("", _("全部部门")), *departments]  # type: ignore[attr-defined]

    def filters(self) -> tuple[str, selectors.MatterFilters]:
        """The query and filters; a value that is not valid is ignored (the form shows why)."""
        data = self.cleaned_data if self.is_bound else {}
        valid = {name: data.get(name) or None for name in ("department", "category", "online_level")}
        return data.get("q") or "", selectors.MatterFilters(**valid)


def _page(request: HttpRequest, queryset: QuerySet[MatterVersion]) -> Page[MatterVersion]:
    paginator: Paginator[MatterVersion] = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def matter_list(request: HttpRequest) -> HttpResponse:
    departments = [(d.code, d.display_name) for d in selectors.catalogue_departments()]
    form = CatalogueFilterForm(request.GET or None, departments=departments)
    if form.is_bound:
        form.is_valid()  # invalid fields drop out of cleaned_data and are shown with their error
    query, filters = form.filters()
    results = selectors_search.catalogue_search(query, filters)
    page = _page(request, results.matters)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    first_page = page.number == 1
    if results.query and first_page:
        first = page.object_list[0].matter_id if page.object_list else None
        catalogue_searched(CatalogueSearched(query, page.paginator.count, first))
    context = {
        "form": form,
        "page": page,
        "query": query if results.query else "",
        "querystring": querystring.urlencode(),
        "bundles_first": results.bundles_first if first_page else [],
        "bundles_also": results.bundles_also if first_page else [],
        # Without a query, every bundle is listed under the matters.
        "bundles": [] if results.query else selectors.published_bundles(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "catalogue/_results.html", context)
    context["counts"] = selectors.catalogue_counts()
    return render(request, "catalogue/matter_list.html", context)


def matter_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = selectors.matter_get_published(code)
    except NotFound as error:
        raise Http404(error.message) from error
    fields = selectors.form_fields(version.form_schema)
    return render(request, "catalogue/matter_detail.html", {"version": version, "fields": fields})


def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = selectors.bundle_get_published(code)
    except NotFound as error:
        raise Http404(error.message) from error
    context = {
        "version": version,
        "fields": selectors.form_fields(version.unified_form_schema),
        "materials": selectors.bundle_materials(version),
    }
    return render(request, "catalogue/bundle_detail.html", context)
