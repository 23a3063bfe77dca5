from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from marketplace.outbox import wiring
from webhooks.models import Subscriber


def event_choices() -> list[tuple[str, str]]:
    """Every event of the wiring table (config/events.py), by name."""
    return [(name, name) for name in sorted(wiring())]


class SubscriberForm(WagtailAdminModelForm):
    url = forms.URLField(label=_("alamat URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("peristiwa"),
        choices=event_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nama-nama peristiwa yang dikirim ke penerima ini."),
    )
    # Generated when the subscriber is saved, then shown here and on its page; never typed in.
    secret = forms.CharField(
        label=_("rahasia penandatanganan"),
        disabled=True,
        required=False,
        help_text=_("Berikan kepada penerima untuk memeriksa tanda tangan setiap pengiriman."),
    )

    class Meta:
        model = Subscriber
        fields = ["name", "url", "secret", "events", "personal_data", "shop", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            del self.fields["secret"]  # made on save: what a new form showed would not be it
