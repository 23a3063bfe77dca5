"""Forms of the public product page. They only read GET parameters: nothing here is saved."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.selectors.storefront import STAY_MAX_NIGHTS
from marketplace.services.checkout import MAX_QUANTITY


class StayDatesForm(forms.Form):
    """The dates and rooms a buyer wants to see a stay's total for (?check_in=…&check_out=…)."""

    check_in = forms.DateField(
        label=_("Check-in"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    check_out = forms.DateField(
        label=_("Check-out"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    rooms = forms.IntegerField(
        label=_("Jumlah kamar"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        check_in, check_out = data.get("check_in"), data.get("check_out")
        data["rooms"] = data.get("rooms") or 1
        if check_in and check_in < timezone.localdate():
            self.add_error("check_in", ValidationError(_("Tanggal check-in sudah lewat.")))
        if check_in and check_out:
            if check_out <= check_in:
                self.add_error("check_out", ValidationError(_("Check-out harus sesudah check-in.")))
            elif (check_out - check_in).days > STAY_MAX_NIGHTS:
                self.add_error(
                    "check_out",
                    ValidationError(
                        _("Paling lama %(max)s malam sekali pesan.") % {"max": STAY_MAX_NIGHTS}
                    ),
                )
        return data
