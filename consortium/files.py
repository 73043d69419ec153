"""Uploaded files get server-generated names; the original name is kept on the row for downloads."""

import os
import uuid


def generated_name(folder: str, filename: str) -> str:
    """A new random name under `folder`, keeping only the uploaded name's extension.

    Each app's `upload_to` callable calls this with its own folder; migrations refer to those
    callables by dotted path, so they stay plain module-level functions in the owning app.
    """
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{extension}"
