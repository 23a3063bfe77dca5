"""/api/v1/search/ and /api/v1/search/suggest/ (config/urls.py includes this module under
api/v1/). URL names: api-search, api-search-suggest (no namespace, like the other API modules)."""

from django.urls import path

from search.api import SearchView, SuggestView

urlpatterns = [
    path("search/", SearchView.as_view(), name="api-search"),
    path("search/suggest/", SuggestView.as_view(), name="api-search-suggest"),
]
