"""What an uploaded file really is, judged by its content rather than its name.

``inspect_upload`` answers with the file's type and the bytes to store, or refuses with a
message that says why. Accepted: PDF, PNG, JPEG, WebP, DOCX, XLSX, ODT, CSV and plain text.
Refused: anything else (archives, executables, old Office formats), office files that carry
macros, and files whose name claims one type while the content is another. Photos are decoded
and encoded again, which drops their metadata: the camera, the time and the GPS position that
could expose the people in the picture.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

# Largest picture decoded, in pixels (a 12,000 × 8,000 panorama); larger ones are refused
# rather than decompressed (a small file can claim an enormous picture).
MAX_PIXELS = 96_000_000
# An office file is a ZIP: its unpacked size and number of parts are bounded (a "zip bomb"
# is a small file that unpacks to gigabytes).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 5_000


@dataclass(frozen=True)
class FileType:
    key: str
    media_type: str
    extensions: tuple[str, ...]  # the first is given to downloads
    label: object  # a name, translated where it has words


TYPES = {t.key: t for t in (
    FileType("pdf", "application/pdf", (".pdf",), "PDF"),
    FileType("png", "image/png", (".png",), "PNG"),
    FileType("jpeg", "image/jpeg", (".jpg", ".jpeg", ".jpe"), "JPEG"),
    FileType("webp", "image/webp", (".webp",), "WebP"),
    FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (".docx",), _l("Word (DOCX)")),
    FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             (".xlsx",), _l("Excel (XLSX)")),
    FileType("odt", "application/vnd.oasis.opendocument.text", (".odt",),
             _l("OpenDocument text (ODT)")),
    FileType("csv", "text/csv", (".csv",), "CSV"),
    FileType("text", "text/plain", (".txt", ".text", ".md"), _l("plain text")),
)}
IMAGES = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}  # type -> Pillow's format name
ACCEPT = ",".join(sorted({e for t in TYPES.values() for e in t.extensions}
                         | {t.media_type for t in TYPES.values()} | {"image/*"}))

# Signatures of archives and other formats refused outright, with what they are.
REFUSED_SIGNATURES: tuple[tuple[int, bytes, object], ...] = (
    (0, b"\x1f\x8b", _l("a gzip archive")),
    (0, b"7z\xbc\xaf\x27\x1c", _l("a 7-Zip archive")),
    (0, b"Rar!\x1a\x07", _l("a RAR archive")),
    (0, b"BZh", _l("a bzip2 archive")),
    (0, b"\xfd7zXZ\x00", _l("an xz archive")),
    (0, b"\x28\xb5\x2f\xfd", _l("a Zstandard archive")),
    (257, b"ustar", _l("a tar archive")),
    (0, b"MSCF", _l("a cabinet archive")),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     _l("an old Office document (.doc, .xls, .ppt), which can carry macros; save it as DOCX, "
        "XLSX or PDF")),
    (0, b"MZ", _l("a Windows program")),
    (0, b"\x7fELF", _l("a program")),
)


class Refused(ValueError):
    """The upload is not accepted; ``str()`` says why, in the reader's language."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Inspected:
    type: FileType
    data: bytes  # what to store: the upload, or a photo encoded again without its metadata
    filename: str  # the name given, cleaned, with the extension of the real type


def inspect_upload(data: bytes, filename: str) -> Inspected:
    """Judge ``data`` uploaded as ``filename``; refuse with a message or return what to keep."""
    if not data:
        raise Refused(_l("The file is empty."))
    kind = _sniff(data)
    claimed = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if kind == "text" and claimed == ".csv":
        kind = "csv"
    file_type = TYPES[kind]
    if claimed and claimed not in file_type.extensions:
        raise Refused(_l("The file is named “%(name)s” but its content is %(real)s; rename it "
                         "or upload the right file.", name=_clean_name(filename),
                         real=file_type.label))
    if kind in IMAGES:
        data = _without_metadata(data, IMAGES[kind])
    stem = PurePosixPath(_clean_name(filename)).stem if claimed else _clean_name(filename)
    return Inspected(file_type, data, f"{stem or 'evidence'}{claimed or file_type.extensions[0]}")


def _sniff(data: bytes) -> str:
    for offset, signature, what in REFUSED_SIGNATURES:
        if data[offset:offset + len(signature)] == signature:
            raise Refused(_l("This file is %(what)s, which is not accepted as evidence.",
                             what=what))
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return _text(data)


def _office(data: bytes) -> str:
    """DOCX, XLSX or ODT without macros; any other ZIP is an archive and refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
                raise Refused(_l("The file unpacks to far more than it weighs; it is not "
                                 "accepted."))
            names = {p.filename for p in parts}
            lowered = {n.lower() for n in names}
            if any(n.endswith("vbaproject.bin") or n.endswith("vbadata.xml")
                   or n.startswith("basic/") or n.startswith("scripts/") for n in lowered):
                raise Refused(_l("The document contains macros, which can run code on the "
                                 "reader's computer. Save it without macros (DOCX, XLSX, "
                                 "ODT) or as PDF."))
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
                if "macroenabled" in types or "vbaproject" in types:
                    raise Refused(_l("The document contains macros, which can run code on "
                                     "the reader's computer. Save it without macros (DOCX, "
                                     "XLSX, ODT) or as PDF."))
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
            if "mimetype" in names and archive.read("mimetype").strip() == (
                    b"application/vnd.oasis.opendocument.text"):
                return "odt"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, KeyError,
            OSError, EOFError) as exc:
        raise Refused(_l("The file looks like an office document but cannot be read.")) from exc
    raise Refused(_l("This file is a ZIP archive, which is not accepted as evidence; upload "
                     "the documents it holds one by one."))


def _text(data: bytes) -> str:
    if b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            return "text"  # the name decides between CSV and plain text (see inspect_upload)
    raise Refused(_l("The type of this file is not accepted. Evidence can be PDF, PNG, JPEG, "
                     "WebP, DOCX, XLSX, ODT, CSV or plain text (UTF-8)."))


def _without_metadata(data: bytes, pillow_format: str) -> bytes:
    """Decode the picture and encode it again, turned upright, with no metadata at all."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Refused(_l("The picture is too large (%(width)s × %(height)s "
                                     "pixels).", width=image.width, height=image.height))
                upright = ImageOps.exif_transpose(image)
                alpha = "A" in upright.getbands() or "transparency" in upright.info
                mode = "L" if upright.mode in {"1", "L"} else (
                    "RGBA" if alpha and pillow_format != "JPEG" else "RGB")
                pixels = upright.convert(mode)
                # A new picture from the bare pixels: nothing of the original's metadata
                # (EXIF, GPS, XMP, comments, text chunks) can travel with it.
                clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    except Refused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise Refused(_l("The picture cannot be read; it may be damaged.")) from exc
    out = io.BytesIO()
    options: dict[str, dict[str, int | bool]] = {
        "JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True},
        "WEBP": {"quality": 90}}
    clean.save(out, format=pillow_format, **options[pillow_format])
    return out.getvalue()


def _clean_name(filename: str) -> str:
    """The last part of the name, without control characters or path separators, at most
    120 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*').strip(" .")
    if len(name) > 120:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[:120 - len(suffix)] + suffix
    return name
