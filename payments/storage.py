"""Where buyers' transfer proofs live: settings.STORAGES["private"], outside MEDIA_ROOT, never
under a public URL. The files are served only by payments.views.proofs, which checks who asks."""

from __future__ import annotations

import secrets

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without a URL: a template asking for one fails loudly instead of
    printing a link under MEDIA_URL."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL; link to the view that serves them")


def private_storage() -> Storage:
    # A callable, so that the migration names it and tests can point STORAGES at a tmp folder.
    return storages["private"]


def proof_upload_to(instance, filename: str) -> str:
    """An unguessable name that says nothing about the buyer: a bank document's file name may."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"proofs/{secrets.token_hex(16)}.{extension[:5]}"
