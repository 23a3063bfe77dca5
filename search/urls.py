"""/search/ (inside i18n_patterns: `/en/search/` in English). URL name: search:page."""

from django.urls import path

from search.views import search_page

app_name = "search"

urlpatterns = [
    path("search/", search_page, name="page"),
]
