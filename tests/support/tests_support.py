"""Helpers shared by several test modules (importable because tests/support is on the path)."""

from __future__ import annotations

from flask import Flask

from app import create_app


def test_settings(url: str) -> dict[str, object]:
    return {"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "x" * 48,
            "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_PROFILE": "fast"}


def make_app_with_failing_route(url: str) -> Flask:
    app = create_app(test_settings(url))

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail of the failure")

    boom._public = True  # type: ignore[attr-defined]
    return app
