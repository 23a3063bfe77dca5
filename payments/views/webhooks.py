"""Provider notifications: verify, store verbatim, answer at once; apply in a task."""

from __future__ import annotations

import json
import logging
from functools import partial

from celery import current_app
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import services
from payments.providers import InvalidNotification, provider_for

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


def _receive(request: HttpRequest, provider: str) -> JsonResponse:
    body = request.body
    if len(body) > MAX_BODY:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        notices = provider_for(provider).parse_notification(body, dict(request.headers))
    except InvalidNotification as exc:
        logger.warning("refused %s notification: %s", provider, exc)
        return JsonResponse({"error": "invalid notification"}, status=400)
    try:
        payload = json.loads(body)
    except ValueError:
        payload = {"raw": body.decode("utf-8", "replace")}
    with transaction.atomic():
        new_ids = services.notices_store(provider=provider, notices=notices, payload=payload)
        for provider_event_id in new_ids:
            transaction.on_commit(
                partial(
                    current_app.send_task, "payments.provider_event_apply", args=[provider_event_id]
                ),
                robust=True,  # broker down: the reconcile task applies it later
            )
    return JsonResponse({"status": "ok", "stored": len(new_ids)})


@csrf_exempt
@require_POST
def qris_webhook(request: HttpRequest) -> JsonResponse:
    return _receive(request, "qris")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    return _receive(request, "stripe")
