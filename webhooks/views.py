"""The subscriber's page in the admin: what it is, why it was paused, its recent attempts, and
the resume button."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from webhooks.models import DeliveryAttempt, Subscriber
from webhooks.services import subscriber_resume

RECENT_ATTEMPTS = 20


class SubscriberInspectView(InspectView):
    template_name = "webhooks/subscriber_inspect.html"
    page_title = gettext_lazy("Penerima webhook")
    resume_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attempts"] = (
            DeliveryAttempt.objects.filter(delivery__subscriber=self.object)
            .select_related("delivery")
            .order_by("-attempted_at")[:RECENT_ATTEMPTS]
        )
        context["can_resume"] = self.object.is_paused and self.user_has_permission("change")
        context["resume_url_name"] = self.resume_url_name
        return context


class SubscriberResumeView(PermissionCheckedMixin, View):
    """POST: resume a paused subscriber; its failed and held deliveries are sent again."""

    permission_required = "change"
    http_method_names = ["post"]
    model = Subscriber
    inspect_url_name = None

    def post(self, request, pk):
        subscriber = get_object_or_404(Subscriber, pk=pk)
        queued = subscriber_resume(subscriber=subscriber)
        messages.success(
            request,
            ngettext(
                "%(name)s dilanjutkan; %(count)d pengiriman dikirim ulang.",
                "%(name)s dilanjutkan; %(count)d pengiriman dikirim ulang.",
                queued,
            )
            % {"name": subscriber.name, "count": queued},
        )
        return redirect(self.inspect_url_name, pk)
