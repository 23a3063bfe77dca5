"""Forms of an experience's slots page: a repeating schedule and one day's slots at once. They
only read what was typed; the rules (and their refusals) are in marketplace.services.schedules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.forms.seller import NumberInput
from marketplace.services.schedules import MAX_WEEKS, ScheduleRefused, times_parse

WEEKDAYS = [
    (0, _("Sen")),
    (1, _("Sel")),
    (2, _("Rab")),
    (3, _("Kam")),
    (4, _("Jum")),
    (5, _("Sab")),
    (6, _("Min")),
]


class SlotScheduleForm(forms.Form):
    """Every day or chosen weekdays, at one or more times, for N weeks from a start date."""

    prefix = "schedule"

    every_day = forms.BooleanField(label=_("Setiap hari"), required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Atau pada hari"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    times = forms.CharField(
        label=_("Jam mulai"),
        max_length=200,
        help_text=_("Beberapa jam dipisah koma, misalnya 09:00, 14:00."),
        widget=forms.TextInput(attrs={"placeholder": "09:00, 14:00", "autocomplete": "off"}),
    )
    start = forms.DateField(
        label=_("Mulai tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weeks = forms.IntegerField(
        label=_("Selama (minggu)"),
        widget=NumberInput(attrs={"min": 1, "max": MAX_WEEKS}),
    )
    capacity = forms.IntegerField(label=_("Kapasitas tiap jadwal (orang)"), widget=NumberInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: the language is the request's, not the one at import.
        self.fields["weeks"].help_text = gettext("Paling banyak %(n)s minggu.") % {"n": MAX_WEEKS}

    def clean_times(self):
        try:
            return times_parse(self.cleaned_data["times"])
        except ScheduleRefused as exc:
            raise forms.ValidationError(exc.messages, code=exc.code) from exc

    def schedule(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {
            "start": data["start"],
            "weeks": data["weeks"],
            "weekdays": range(7) if data.get("every_day") else data.get("weekdays", []),
            "times": data["times"],
            "capacity": data["capacity"],
        }


class SlotDayForm(forms.Form):
    """One day's slots: set every slot's capacity, or close the day (the button says which)."""

    capacity = forms.IntegerField(
        label=_("Kapasitas semua jadwal hari ini"), required=False, widget=NumberInput()
    )
    action = forms.ChoiceField(
        choices=[("capacity", "capacity"), ("close", "close")], widget=forms.HiddenInput
    )

    def __init__(self, *args, day=None, **kwargs):
        kwargs.setdefault("prefix", f"d{day:%Y%m%d}" if day else None)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("action") == "capacity" and data.get("capacity") is None:
            self.add_error("capacity", _("Isi kapasitas, atau pilih Tutup hari ini."))
        return data
