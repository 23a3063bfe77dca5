"""The seller dashboard as an installable web app: its manifest and its service worker.

The service worker is served from /seller/sw.js (not /static/) so that its scope may be the
seller pages, and it is never cached by the browser's HTTP cache, so a new version takes over
on the next visit. What it caches and why is in docs/decisions/0012-offline-seller-dashboard.md.
"""

from __future__ import annotations

import json

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

THEME = "#5b1a10"  # the regency's maroon
BACKGROUND = "#faf8f4"


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    home = reverse("seller:home")  # /seller/, or /en/seller/ in English
    data = {
        "name": "Pasar Kreatif Penjual",
        "short_name": "Penjual",
        "lang": request.LANGUAGE_CODE,
        "start_url": home,
        "scope": home,
        "id": home,
        "display": "standalone",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {
                "src": static(f"img/seller-icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _worker_source() -> bytes:
    path = finders.find("js/seller-sw.js")  # the source tree (development, tests)
    if path:
        with open(path, "rb") as file:
            return file.read()
    with staticfiles_storage.open("js/seller-sw.js") as file:  # collectstatic's copy
        return file.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("seller:home")
    response["Cache-Control"] = "no-cache"
    return response
