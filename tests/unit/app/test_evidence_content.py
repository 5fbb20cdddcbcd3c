"""What an upload really is: accepted types by content, refusals with their reason, photos
without their metadata."""

from __future__ import annotations

import gzip
import io
import zipfile

import openpyxl
import pytest
from PIL import ExifTags, Image

from app.evidence.content import Refused, inspect_upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def photo(fmt: str = "JPEG", gps: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    """A picture with a camera model and, unless told otherwise, a GPS position."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "FieldCam 3000"
    if gps:
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "N"
        position[ExifTags.GPS.GPSLatitude] = (42.0, 52.0, 30.0)
        position[ExifTags.GPS.GPSLongitudeRef] = "E"
        position[ExifTags.GPS.GPSLongitude] = (74.0, 36.0, 0.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def office(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX_TYPES = (b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
              b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
              b'document.main+xml"/></Types>')
DOCX = office({"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "participants"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_pdf_is_kept_as_uploaded() -> None:
    kept = inspect_upload(PDF, "Workshop report.pdf")
    assert kept.type.media_type == "application/pdf"
    assert kept.data == PDF
    assert kept.filename == "Workshop report.pdf"


@pytest.mark.parametrize(("data", "name", "media_type"), [
    (DOCX, "minutes.docx", "application/vnd.openxmlformats-officedocument."
                           "wordprocessingml.document"),
    (office({"mimetype": b"application/vnd.oasis.opendocument.text",
             "content.xml": b"<office:document-content/>"}), "decree.odt",
     "application/vnd.oasis.opendocument.text"),
    (b"name,count\nOsh,12\n", "attendance.csv", "text/csv"),
    ("Протокол встречи\n".encode(), "notes.txt", "text/plain"),
    ("Протокол встречи\n".encode(), "notes", "text/plain"),
])
def test_accepted_types_are_named_by_their_content(data: bytes, name: str,
                                                   media_type: str) -> None:
    assert inspect_upload(data, name).type.media_type == media_type


def test_a_workbook_is_accepted() -> None:
    kept = inspect_upload(xlsx(), "Budget.XLSX")
    assert kept.type.key == "xlsx"
    assert kept.filename == "Budget.xlsx"  # the extension in lower case


def test_a_file_without_an_extension_gets_the_one_of_its_type() -> None:
    assert inspect_upload(PDF, "scan").filename == "scan.pdf"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_photo_comes_back_without_its_gps_position_or_camera(fmt: str) -> None:
    original = photo(fmt)
    with Image.open(io.BytesIO(original)) as before:
        exif = before.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)  # the test photo does carry a position
        assert exif.get(ExifTags.Base.Model) == "FieldCam 3000"
    kept = inspect_upload(original, f"training.{fmt.lower()}")
    assert kept.data != original
    with Image.open(io.BytesIO(kept.data)) as after:
        assert after.format == fmt
        assert after.size == (64, 48)
        assert dict(after.getexif()) == {}
        assert not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in after.info
    assert b"FieldCam" not in kept.data


def test_a_photo_is_turned_upright_before_its_orientation_is_dropped() -> None:
    image = Image.new("RGB", (60, 20), (10, 10, 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone turned: rotate 90°
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    kept = inspect_upload(out.getvalue(), "phone.jpg")
    with Image.open(io.BytesIO(kept.data)) as after:
        assert after.size == (20, 60)


def test_the_same_photo_gives_the_same_stored_bytes() -> None:
    original = photo()
    assert inspect_upload(original, "a.jpg").data == inspect_upload(original, "b.jpg").data


@pytest.mark.parametrize(("data", "name", "reason"), [
    (photo("PNG"), "report.pdf", "is named “report.pdf” but its content is PNG"),
    (PDF, "photo.jpg", "is named “photo.jpg” but its content is PDF"),
    (DOCX, "table.xlsx", "content is Word (DOCX)"),
    (b"name,count\n", "list.exe", "content is plain text"),
    (office({"a.txt": b"x", "b.pdf": PDF}), "papers.zip", "ZIP archive"),
    (office({"a.txt": b"x"}), "report.docx", "ZIP archive"),
    (gzip.compress(PDF, mtime=0), "report.pdf.gz", "gzip archive"),
    (b"Rar!\x1a\x07\x00rest", "photos.rar", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c\x00\x04", "photos.7z", "7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", "old Office document"),
    (b"MZ\x90\x00" + b"\x00" * 60, "report.pdf", "Windows program"),
    (b"\x00\x01\x02binary", "data.bin", "type of this file is not accepted"),
    (b"\xff\xfe\xfa not utf-8", "notes.txt", "type of this file is not accepted"),
    (b"", "empty.pdf", "empty"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "photo.jpg", "picture cannot be read"),
    (b"PK\x03\x04broken", "report.docx", "cannot be read"),
])
def test_refused_uploads_say_why(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        inspect_upload(data, name)
    assert reason in str(refused.value)


@pytest.mark.parametrize("parts", [
    {"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<w:document/>",
     "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
    {"[Content_Types].xml": DOCX_TYPES.replace(b"document.main+xml",
                                               b"document.macroEnabled.main+xml"),
     "word/document.xml": b"<w:document/>"},
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>",
     "Basic/Standard/Module1.xml": b"<script/>"},
])
def test_office_files_with_macros_are_refused(parts: dict[str, bytes]) -> None:
    with pytest.raises(Refused, match="macros"):
        inspect_upload(office(parts), "minutes.docx" if "word/document.xml" in parts
                       else "minutes.odt")


def test_a_small_file_that_unpacks_to_gigabytes_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", b"\x00" * (210 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(Refused, match="unpacks"):
        inspect_upload(out.getvalue(), "report.docx")


def test_names_lose_paths_and_control_characters() -> None:
    kept = inspect_upload(PDF, "..\\..\\etc/pass\x00wd\r\n<report>.pdf")
    assert kept.filename == "passwdreport.pdf"
    long = inspect_upload(PDF, "x" * 300 + ".pdf")
    assert len(long.filename) == 120
    assert long.filename.endswith(".pdf")
