"""Where the bytes of evidence files live: content-addressed, behind one small interface.

A file is stored under the SHA-256 of its content (of the plain content, before any
encryption), so the same file uploaded twice is stored once. ``LocalStorage`` keeps files in a
directory (``EVIDENCE_DIR``; in production a volume every app server mounts); another backend
(an object store) implements the same four methods.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

DIGEST = re.compile(r"[0-9a-f]{64}")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Storage(Protocol):
    def put(self, sha256: str, data: bytes) -> None: ...
    def get(self, sha256: str) -> bytes: ...
    def delete(self, sha256: str) -> None: ...
    def exists(self, sha256: str) -> bool: ...


class LocalStorage:
    """Files in ``root``, two levels of folders by the first characters of the digest."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not DIGEST.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        """Write atomically (a reader never sees half a file); replaces what is there."""
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


class KeyMissing(RuntimeError):
    """Sensitive files are stored encrypted, and no key was given to read or write them."""


class Cipher:
    """Encryption at rest of sensitive files (Fernet: AES-128-CBC with an HMAC-SHA256).

    ``keys`` come from ``EVIDENCE_KEYS``, newest first: new files are encrypted with the first,
    and any of them can read; ``rotate`` re-encrypts a file with the first key.
    """

    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in keys]) if keys else None

    @property
    def available(self) -> bool:
        return self._fernet is not None

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise KeyMissing("EVIDENCE_KEYS is not set: sensitive evidence cannot be stored "
                             "or read without it")
        return self._fernet

    def encrypt(self, data: bytes) -> bytes:
        return self._require().encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._require().decrypt(token)
        except InvalidToken as exc:
            raise KeyMissing("none of the keys in EVIDENCE_KEYS opens this file") from exc

    def rotate(self, token: bytes) -> bytes:
        try:
            return self._require().rotate(token)
        except InvalidToken as exc:
            raise KeyMissing("none of the keys in EVIDENCE_KEYS opens this file") from exc
