"""Imports the API's view modules so that the blueprint is complete (for the app factory)."""

from app.api import views_docs, views_read, views_write  # noqa: F401
from app.api.blueprint import bp

__all__ = ["bp"]
