"""Cursor pagination and ETags of API answers.

A cursor is opaque to the client: the id after which the next page starts, encoded. Lists are
ordered by id, so a page never repeats or skips a record when others are added meanwhile.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

import sqlalchemy as sa
from flask import Response, request
from flask_babel import gettext as _
from pydantic import BaseModel

from app.api.problems import ApiProblem
from app.db import db

CURSOR_PREFIX = "after:"


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text[len(CURSOR_PREFIX):] if text.startswith(CURSOR_PREFIX) else ""
    if not number.isdigit() or int(number) > 2**31:
        raise ApiProblem(400, _("The cursor is not one this API gave; start again without it."),
                         errors=[{"field": "cursor", "detail": "not a cursor of this API"}])
    return int(number)


def page(query: sa.Select[Any], id_column: Any, cursor: str | None,
         limit: int) -> tuple[list[Any], str | None]:
    """One page of ``query`` (ordered by ``id_column``) and the cursor of the next, if any."""
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(id_column > after)
    rows = list(db.session.scalars(query.order_by(id_column).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].id) if more and rows else None


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def answer(model: BaseModel, status: int = 200) -> Response:
    """The model as JSON with its ETag; 304 when the client holds the same already."""
    body = model.model_dump_json().encode()
    tag = etag_of(body)
    if status == 200 and tag in _tags(request.headers.get("If-None-Match", "")):
        response = Response(status=304)
    else:
        response = Response(body, status=status, mimetype="application/json")
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def json_of(model: BaseModel) -> Any:
    return json.loads(model.model_dump_json())
