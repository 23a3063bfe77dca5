from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignVisitDay(models.Model):
    """Visits that arrived with a campaign's parameters, per day, campaign and source: one per
    session and day (marketplace.campaigns counts them; bots and link previews are not)."""

    day = models.DateField(_("hari"))
    campaign = models.CharField(_("kampanye"), max_length=80)
    source = models.CharField(_("sumber"), max_length=80, blank=True)
    visits = models.PositiveIntegerField(_("kunjungan"), default=0)

    class Meta:
        verbose_name = _("kunjungan kampanye per hari")
        verbose_name_plural = _("kunjungan kampanye per hari")
        ordering = ["-day", "campaign", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "campaign", "source"], name="campaign_visit_day_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.campaign} ({self.source or '-'}): {self.visits}"
