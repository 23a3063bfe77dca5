"""Search in the Wagtail admin: the synonym list editors keep (a snippet), and Diskominfo's
reports of what tourists search for (Laporan → Pencarian teratas / Pencarian tanpa hasil).
Both for the search editors of search.permissions (Editors and Moderators)."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import SearchQueryLog, SynonymGroup
from search.permissions import SearchEditorPolicy
from search.selectors import REPORT_DAYS, top_queries

URL_NAMESPACE = "search_reports"

register_permission_policy(SynonymGroup, SearchEditorPolicy(SynonymGroup))
register_permission_policy(SearchQueryLog, SearchEditorPolicy(SearchQueryLog))


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("Sinonim pencarian")
    menu_name = "search-synonyms"
    list_display = ["terms", "gloss_en"]  # updated_at has no Indonesian label
    search_fields = ["terms", "gloss_en"]
    ordering = ["terms"]
    form_fields = ["terms", "gloss_en"]


register_snippet(SynonymGroupViewSet)


class SearchReportView(ReportView):
    """The searches of the last 30 days, grouped by their normalized text, most searched first;
    spreadsheet export (?export=xlsx / csv) comes with ReportView."""

    model = SearchQueryLog
    permission_required = "view"
    header_icon = "search"
    zero_results_only = False
    paginate_by = 50
    columns = [
        Column("normalized", label=_("Kata kunci")),
        Column("searches", label=_("Jumlah pencarian")),
        Column("zero_results", label=_("Tanpa hasil")),
        DateColumn("last_searched", label=_("Terakhir dicari")),
    ]
    list_export = ["normalized", "searches", "zero_results", "last_searched"]
    export_headings = {
        "normalized": _("Kata kunci"),
        "searches": _("Jumlah pencarian"),
        "zero_results": _("Tanpa hasil"),
        "last_searched": _("Terakhir dicari"),
    }

    def get_queryset(self):
        return top_queries(zero_results_only=self.zero_results_only, days=REPORT_DAYS)

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"


class TopQueriesView(SearchReportView):
    page_title = _("Pencarian teratas (30 hari terakhir)")
    index_url_name = f"{URL_NAMESPACE}:top"
    index_results_url_name = f"{URL_NAMESPACE}:top_results"
    export_filename = "pencarian-teratas"


class ZeroResultQueriesView(SearchReportView):
    page_title = _("Pencarian tanpa hasil (30 hari terakhir)")
    index_url_name = f"{URL_NAMESPACE}:zero"
    index_results_url_name = f"{URL_NAMESPACE}:zero_results"
    export_filename = "pencarian-tanpa-hasil"
    zero_results_only = True


class SearchEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return SearchEditorPolicy(SearchQueryLog).user_has_permission(request.user, "view")


@hooks.register("register_admin_urls")
def register_search_report_urls():
    urls = [
        path("", TopQueriesView.as_view(), name="top"),
        path("results/", TopQueriesView.as_view(results_only=True), name="top_results"),
        path("tanpa-hasil/", ZeroResultQueriesView.as_view(), name="zero"),
        path(
            "tanpa-hasil/results/",
            ZeroResultQueriesView.as_view(results_only=True),
            name="zero_results",
        ),
    ]
    return [path("laporan-pencarian/", include((urls, URL_NAMESPACE), namespace=URL_NAMESPACE))]


@hooks.register("register_reports_menu_item")
def register_top_queries_menu_item():
    return SearchEditorMenuItem(
        _("Pencarian teratas"),
        reverse(f"{URL_NAMESPACE}:top"),
        name="search-top-queries",
        icon_name="search",
        order=1000,
    )


@hooks.register("register_reports_menu_item")
def register_zero_result_queries_menu_item():
    return SearchEditorMenuItem(
        _("Pencarian tanpa hasil"),
        reverse(f"{URL_NAMESPACE}:zero"),
        name="search-zero-result-queries",
        icon_name="warning",
        order=1010,
    )
