"""POST /seller/<shop>/sync/: the changes the seller's dashboard queued while offline
(static/js/seller-offline.js), applied one by one by marketplace.offline. JSON in, JSON out;
each change answers on its own (applied, refused with the seller's reason, or duplicate)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from marketplace.models import ShopMember
from marketplace.offline import MAX_CHANGES, Change, offline_change_apply
from marketplace.views.seller.common import seller_view


@seller_view(methods=("POST",))
def sync(request: HttpRequest, membership: ShopMember) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": _("Isi permintaan bukan JSON.")}, status=400)
    changes = body.get("changes") if isinstance(body, dict) else None
    if not isinstance(changes, list) or not changes:
        return JsonResponse({"detail": _("Tidak ada perubahan yang dikirim.")}, status=400)
    if len(changes) > MAX_CHANGES:
        return JsonResponse(
            {"detail": _("Paling banyak %(n)s perubahan sekali kirim.") % {"n": MAX_CHANGES}},
            status=400,
        )
    results = []
    for data in changes:
        try:
            change = Change.parse(data)
        except ValidationError as exc:
            key = str(data.get("key", "")) if isinstance(data, dict) else ""
            results.append(
                {"key": key, "status": "refused", "message": " ".join(exc.messages), "detail": {}}
            )
            continue
        outcome = offline_change_apply(shop=membership.shop, user=request.user, change=change)
        results.append(outcome.as_json())
    return JsonResponse({"results": results})
