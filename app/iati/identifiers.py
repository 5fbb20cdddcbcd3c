"""The reporting organisation and the identifier of an exported activity."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from app.programmes.models import Programme, Project

DEFAULT_REF = "XI-PVETRACK"
DEFAULT_NAME = "PVE Track"
DEFAULT_TYPE = "21"


@dataclass(frozen=True)
class ReportingOrg:
    ref: str
    name: str
    type: str


def reporting_org() -> ReportingOrg:
    """From the settings ``IATI_REPORTING_ORG_REF``, ``_NAME`` and ``_TYPE``."""
    config = current_app.config
    return ReportingOrg(config.get("IATI_REPORTING_ORG_REF") or DEFAULT_REF,
                        config.get("IATI_REPORTING_ORG_NAME") or DEFAULT_NAME,
                        str(config.get("IATI_REPORTING_ORG_TYPE") or DEFAULT_TYPE))


def activity_identifier(project: Project, org: ReportingOrg) -> str:
    """The project's own identifier, else the reporting organisation's ref and its code."""
    return project.iati_identifier or f"{org.ref}-{project.code}"


def programme_identifier(programme: Programme, org: ReportingOrg) -> str:
    return programme.iati_identifier or f"{org.ref}-{programme.code}"
