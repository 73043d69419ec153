"""Checks every uploaded file passes before it is stored, storing it, and the download.

The apps' services call `attach_file` (after their own state checks, under their lock) and the
admin's forms call `validate_upload`, so the API, the web and the admin accept the same files. A
file is accepted only if its extension is allowed AND its first bytes match that format, so a
renamed executable is refused; the size limit is settings.UPLOAD_MAX_BYTES. Files are stored under
generated names (each model's `upload_to`) and the original name is kept on the row. Downloads are
served by views that have checked permission first; there is no public media URL.
"""

import os
import zipfile

from django.conf import settings
from django.db import transaction
from django.http import FileResponse

from consortium.errors import DomainError
from consortium.text import one_line, safe_filename

_PDF = (b"%PDF-",)
_PNG = (b"\x89PNG\r\n\x1a\n",)
_JPEG = (b"\xff\xd8\xff",)
_ZIP = (b"PK\x03\x04",)

# extension -> accepted leading bytes; the office formats are ZIP containers (checked further below).
ALLOWED: dict[str, tuple[bytes, ...]] = {
    ".pdf": _PDF,
    ".png": _PNG,
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
}
# What the ZIP container of each office format must hold, so that any ZIP renamed .docx is refused.
_OFFICE_MARKERS = {
    ".docx": "word/",
    ".xlsx": "xl/",
    ".pptx": "ppt/",
    ".odt": "mimetype",
    ".ods": "mimetype",
}


def validate_upload(uploaded, *, field: str = "file") -> None:
    """Raise DomainError (400) naming `field` unless `uploaded` is an allowed file within the size limit."""
    if uploaded is None:
        raise DomainError("Attach a file.", field=field)
    name = uploaded.name or ""
    extension = os.path.splitext(name)[1].lower()
    allowed = ", ".join(sorted(ALLOWED))
    if extension not in ALLOWED:
        raise DomainError(f"Files of type '{extension or 'none'}' are not accepted (allowed: {allowed}).", field=field)
    if uploaded.size == 0:
        raise DomainError("The file is empty.", field=field)
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            f"The file is {uploaded.size} bytes; the limit is {settings.UPLOAD_MAX_BYTES} bytes.", field=field
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED[extension]) or not _office_container_ok(uploaded,
                                                                                                    extension):
        raise DomainError(f"The file's content is not a valid {extension[1:].upper()} file.", field=field)


def _office_container_ok(uploaded, extension: str) -> bool:
    marker = _OFFICE_MARKERS.get(extension)
    if marker is None:
        return True
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        uploaded.seek(0)
    return any(n == marker or n.startswith(marker) for n in names)


@transaction.atomic
def attach_file(*, instance, file_field: str, name_field: str, uploaded, user) -> None:
    """Validate and store `uploaded` on `instance` under a generated name, replacing an earlier file.

    The old file is deleted only after the row points at the new one, so a failure leaves the
    row consistent; the version is bumped so that a concurrent edit notices the change.
    """
    validate_upload(uploaded)
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    old = getattr(locked, file_field)
    old_name = old.name if old else ""
    getattr(locked, file_field).save(uploaded.name, uploaded, save=False)
    setattr(locked, name_field, one_line(os.path.basename(uploaded.name))[:255])
    if hasattr(locked, "version"):
        locked.version += 1
    locked._history_user = user
    locked.save()
    if old_name:
        storage = getattr(locked, file_field).storage
        transaction.on_commit(lambda: storage.delete(old_name))
    for attr in (file_field, name_field, "version"):
        if hasattr(locked, attr):
            setattr(instance, attr, getattr(locked, attr))


def download(file_field, original_name: str) -> FileResponse:
    """The stored file as an attachment under its original name (the caller has checked permission)."""
    return FileResponse(file_field.open("rb"), as_attachment=True,
                        filename=safe_filename(original_name or os.path.basename(file_field.name)))
