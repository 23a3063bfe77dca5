from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Promosi")

    def ready(self) -> None:
        from cms.frame import connect_frame_signals

        connect_frame_signals()
