"""IATI codes and the rules that map PVE Track's values to them and back."""

from __future__ import annotations

from app.frameworks.models import ResultLevel
from app.programmes.models import ActivityStatus, OrganisationKind

# Mapping rule for sectors: every PVE Track project is prevention of violent extremism, which
# the OECD DAC classifies under 15220 "Civilian peace-building, conflict prevention and
# resolution" (DAC 5-digit purpose codes, IATI Sector vocabulary 1). Each activity is
# exported with that one sector at 100 %.
PVE_SECTOR = "15220"
SECTOR_VOCABULARY_DAC = "1"

# ResultType codelist: 1 output, 2 outcome, 3 impact, 9 other.
RESULT_TYPE = {ResultLevel.OUTPUT: "1", ResultLevel.OUTCOME: "2", ResultLevel.GOAL: "3"}
LEVEL_OF_TYPE = {"1": ResultLevel.OUTPUT, "2": ResultLevel.OUTCOME, "3": ResultLevel.GOAL,
                 "9": ResultLevel.OUTCOME}

# OrganisationType codelist.
ORGANISATION_TYPE = {
    OrganisationKind.DONOR: "10", OrganisationKind.GOVERNMENT: "10",
    OrganisationKind.UN_AGENCY: "40", OrganisationKind.INTERGOVERNMENTAL: "40",
    OrganisationKind.NGO: "21", OrganisationKind.ACADEMIC: "80", OrganisationKind.PRIVATE: "70",
}

# OrganisationRole codelist.
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"

# ActivityDateType codelist.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"

# IndicatorMeasure codelist: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative.
MEASURE_UNIT, MEASURE_PERCENTAGE, MEASURE_QUALITATIVE = "1", "2", "5"

# ResultVocabulary / IndicatorVocabulary 99: the reporting organisation's own codes, used to
# carry the codes of results and indicators so that a file read back matches them.
REPORTING_ORG_VOCABULARY = "99"

SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")


def status_of_code(code: str | None) -> ActivityStatus | None:
    for status in ActivityStatus:
        if code == str(status.iati_code):
            return status
    return None
