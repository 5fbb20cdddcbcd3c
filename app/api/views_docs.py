"""The OpenAPI 3.1 document, generated from the API's views and models, and a page that
shows it: operations, parameters, schemas and how to authenticate, with no script."""

from __future__ import annotations

import copy
from typing import Any

from flask import Response, json, render_template

from app.api.blueprint import bp, spec
from app.api.problems import PROBLEM_TYPE
from app.web import public

PROBLEM_REF = "#/components/schemas/Problem"


def document() -> dict[str, Any]:
    """The generated document, with problem answers declared as ``application/problem+json``
    (the generator names every answer ``application/json``)."""
    generated = copy.deepcopy(spec.spec)
    for operations in generated.get("paths", {}).values():
        for operation in operations.values():
            for answer in operation.get("responses", {}).values():
                content = answer.get("content", {})
                media = content.get("application/json")
                if media and media.get("schema", {}).get("$ref", "").startswith(PROBLEM_REF):
                    content[PROBLEM_TYPE] = content.pop("application/json")
    generated["servers"] = [{"url": "/"}]
    return generated


@bp.get("/openapi.json")
@public
def openapi() -> Any:
    return Response(json.dumps(document()), mimetype="application/json")


@bp.get("/docs")
@public
def docs() -> Any:
    doc = document()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in doc["paths"].items() for method, operation in methods.items()]
    return render_template("api/docs.html", doc=doc, operations=operations,
                           schemas=doc.get("components", {}).get("schemas", {}))
