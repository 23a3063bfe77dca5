"""An editor saved or deleted a synonym group: forget the cached list (shared by every process,
search.synonyms) and let every backend apply the new one without a redeploy."""

from __future__ import annotations

import logging

from django.db import transaction

from search import synonyms
from search.backends import backends_to_index

logger = logging.getLogger(__name__)


def _apply() -> None:
    synonyms.forget()
    for backend in backends_to_index():
        try:
            backend.synonyms_changed()
        except Exception:  # a cluster away must not fail the editor's save; the list is saved
            logger.warning("%s could not apply the new synonyms", backend.name, exc_info=True)


def synonyms_changed(sender, **kwargs) -> None:
    # After the commit: a backend reading the list must see the editor's change.
    transaction.on_commit(_apply)
