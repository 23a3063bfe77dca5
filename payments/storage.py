"""Where buyers' transfer proofs live: settings.STORAGES["private"], outside MEDIA_ROOT, never
under a public URL. The files are served only by payments.views.proofs, which checks who asks."""

from __future__ import annotations

import secrets

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without a URL: a template asking for one fails loudly instead of
    printing a link under MEDIA_URL."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL; link to the view that serves them")


class _PrivateStorage(LazyObject):
    """storages["private"], looked up on first use and again after STORAGES changes (tests):
    a model field keeps the storage object it was given at import."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_files = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        private_files._wrapped = empty


def private_storage() -> Storage:
    # A callable, so that the migration names it rather than a folder of this machine.
    return private_files


def proof_upload_to(instance, filename: str) -> str:
    """An unguessable name that says nothing about the buyer: a bank document's file name may."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"proofs/{secrets.token_hex(16)}.{extension[:5]}"
