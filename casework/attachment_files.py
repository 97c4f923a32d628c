"""The files behind attachments: what may be attached, checked by the content, and where the
bytes are kept (the "attachments" storage: a folder, or an S3-compatible store).

A file is accepted when its content is a PDF (pypdf parses it, not encrypted, with pages),
a JPEG or a PNG (Pillow reads and verifies it, within its decompression-bomb limit), and the
extension of its name says the same: a PNG named `同意書.pdf` is refused, as is a file over
ATTACHMENT_MAX_BYTES. The stored object's name is random: neither the person nor the file's
own name appears in it.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import storages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("pdf", "application/pdf", (".pdf",), "PDF")
JPEG = FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"), "JPEG")
PNG = FileType("png", "image/png", (".png",), "PNG")
TYPES = {t.key: t for t in (PDF, JPEG, PNG)}


def storage() -> Any:
    return storages["attachments"]


def _size_text(size: int) -> str:
    return str(filesizeformat(size))


# A scanned form has a few pages; a PDF claiming more is refused before its page tree is
# read (reading 95,000 pages takes seconds and hundreds of MB).
MAX_PDF_PAGES = 500
# A scan at 600 dpi of an A3 page is about 70 million pixels.
MAX_IMAGE_PIXELS = 80_000_000
# What a PDF may run or carry when staff open it: none of it belongs in a scanned form.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/RichMediaExecute", "/ImportData", "/SubmitForm", "/GoToE"}
)
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"})


def _is_active_action(action: Any) -> bool:
    action = action.get_object() if action is not None else None
    return hasattr(action, "get") and action.get("/S") in ACTIVE_ACTIONS


def _active_content(reader: Any) -> bool:
    """Scripts, launched programs, embedded files, XFA forms: in the catalogue, on a page or
    in an annotation."""
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names or "/EmbeddedFiles" in names or "/AA" in root:
        return True
    form = root.get("/AcroForm")
    if form is not None and "/XFA" in form.get_object():
        return True
    if _is_active_action(root.get("/OpenAction")):
        return True
    for page in reader.pages:
        if "/AA" in page:
            return True
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") in ACTIVE_ANNOTATIONS or "/AA" in annotation:
                return True
            if _is_active_action(annotation.get("/A")):
                return True
    return False


def _pdf(upload: IO[bytes]) -> FileType:
    import pypdf

    try:
        reader = pypdf.PdfReader(upload, strict=False)
        encrypted = reader.is_encrypted
        if not encrypted:
            root: Any = reader.trailer["/Root"]
            count = root["/Pages"].get("/Count", 0)
            if not isinstance(count, int) or count > MAX_PDF_PAGES:
                raise ValidationError(
                    _("ページが多すぎるPDFです(%(limit)sページまで)。"),
                    code="too_many_pages",
                    params={"limit": MAX_PDF_PAGES},
                )
            pages = len(reader.pages)
            active = pages <= MAX_PDF_PAGES and _active_content(reader)
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(
            _("PDFとして読めないファイルです(壊れているか、PDFではありません)。"),
            code="broken",
        ) from None
    if encrypted:
        raise ValidationError(
            _("パスワードのかかったPDFは添付できません。パスワードを外してから添付してください。"),
            code="encrypted",
        )
    if pages == 0 or pages > MAX_PDF_PAGES:
        raise ValidationError(_("ページのないPDFか、ページ数の読めないPDFです。"), code="broken")
    if active:
        raise ValidationError(
            _(
                "スクリプトや埋め込みファイルを含むPDFは添付できません。"
                "スキャンした書類のPDFを添付してください。"
            ),
            code="active",
        )
    return PDF


def _image(upload: IO[bytes]) -> FileType | None:
    from PIL import Image

    try:
        with Image.open(upload) as image:
            found = image.format
            width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("画像が大きすぎます。"), code="too_large")
        # Decoded to the last pixel: verify() alone reads little of a JPEG.
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(
            _("画像として読めないファイルです(壊れているか、大きすぎます)。"), code="broken"
        ) from None
    # A phone's multi-picture JPEG is read by Pillow as MPO: a JPEG to everyone else.
    return {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}.get(found or "")


def _content_type(head: bytes, upload: IO[bytes]) -> FileType | None:
    """What the file is by its content; None for anything but a sound PDF, JPEG or PNG.
    Raises ValidationError for a PDF or image that cannot be attached."""
    if head.startswith(b"%PDF-"):
        return _pdf(upload)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return _image(upload)
    return None


def check_upload(upload: Any) -> FileType:
    """The type of an uploaded file, or ValidationError saying why it cannot be attached.
    Checked once per upload: the form checks it, the service finds the answer kept."""
    known = getattr(upload, "tsunagu_file_type", None)
    if known is not None:
        return known
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("ファイルが大きすぎます(%(size)s)。%(limit)sまでのファイルを添付できます。"),
            code="too_large",
            params={"size": _size_text(upload.size or 0), "limit": _size_text(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("空のファイルです。"), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        found = _content_type(head, upload)
    finally:
        upload.seek(0)
    if found is None:
        raise ValidationError(
            _(
                "PDF、JPEG、PNGのファイルだけを添付できます(このファイルの中身はそのどれでもありません)。"
            ),
            code="type",
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in found.extensions:
        raise ValidationError(
            _(
                "ファイルの中身は%(kind)sですが、名前の拡張子が「%(extension)s」です。"
                "拡張子が中身と合うファイルを添付してください(%(expected)s)。"
            ),
            code="extension",
            params={
                "kind": found.label,
                "extension": extension or _("なし"),
                "expected": " / ".join(found.extensions),
            },
        )
    upload.tsunagu_file_type = found
    return found


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    sha256: str


def store(upload: Any) -> Stored:
    """Keep the file's bytes under a new random name; the caller deletes it (discard) if the
    record that names it is not saved."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    today: datetime.date = timezone.localdate()
    key = f"{today:%Y/%m}/{uuid.uuid4().hex}"
    saved = storage().save(key, File(upload))
    return Stored(key=saved, size=upload.size, sha256=digest.hexdigest())


def discard(key: str) -> None:
    storage().delete(key)


def open_stored(key: str) -> IO[bytes]:
    return storage().open(key, "rb")


class LimitedUpload(FileUploadHandler):
    """The first upload handler (settings.FILE_UPLOAD_HANDLERS): once the files of a request
    come to more than ATTACHMENT_MAX_BYTES together, the rest is not kept (Django reads
    what is left of the body and throws it away; the TLS proxy's body limit is the hard
    stop), and `request.upload_too_large` says how much had come, so that the form says so
    next to the field. One handler per request: the count is the request's."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.ATTACHMENT_MAX_BYTES:
            if self.request is not None:
                self.request.upload_too_large = self.received  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
