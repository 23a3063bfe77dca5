from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Pencarian")

    def ready(self) -> None:
        from search.models import SynonymGroup
        from search.receivers import synonyms_changed

        post_save.connect(
            synonyms_changed, sender=SynonymGroup, dispatch_uid="search-synonyms-saved"
        )
        post_delete.connect(
            synonyms_changed, sender=SynonymGroup, dispatch_uid="search-synonyms-deleted"
        )
