"""Uploaded files get server-generated names; the original name is kept on the row for downloads."""

import os
import uuid


def _generated(folder: str, filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def deliverable_document_path(instance, filename: str) -> str:
    return _generated("deliverables", filename)


def invoice_attachment_path(instance, filename: str) -> str:
    return _generated("invoices", filename)
