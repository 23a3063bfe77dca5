from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Pasar")

    def ready(self) -> None:
        from marketplace import receivers  # noqa: F401  (connects the sign-in cart merge)
