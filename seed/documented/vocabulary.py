"""The fixed vocabularies and locations the documented dataset is checked against."""

from __future__ import annotations

import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

ORGANISATIONS_FILE = "organisations.toml"
EVENTS_FILE = "events.toml"
PROGRAMMES_FILE = "programmes.toml"

#: The source documents a passage may cite (file names in ``shared/seeds``).
DOCUMENTS = frozenset(
    {
        "000_0bdb9c3b4a5d49d1.txt",
        "001_436a3518ccd8ed53.txt",
        "002_7657b3fa1ce70616.txt",
        "003_c0298f46aeeae6bd.txt",
        "004_1e1a6a2f2c58fe5b.txt",
    }
)

# What each source document is, described in our words for the interface (not their titles,
# except where a document states its own).
DOCUMENT_TITLES = {
    "000_0bdb9c3b4a5d49d1.txt": "Commentary on countering radicalisation in Central Asia "
                                "since the 2011 Joint Plan of Action (2016)",
    "001_436a3518ccd8ed53.txt": "Workshop report: Recognizing and Responding to Radicalization "
                                "that Can Lead to Violent Extremism and Terrorism in Central "
                                "Asia, Almaty, 29-31 March 2016 (CTITF, UNRCCA)",
    "002_7657b3fa1ce70616.txt": "Report of the NATO Advanced Research Workshop, Astana, "
                                "2-3 September 2015 (ICCT, CSP)",
    "003_c0298f46aeeae6bd.txt": "Conclusions and recommendations of the Regional Conference on "
                                "Preventing Violent Extremism in Central Asia, Bishkek, "
                                "10-11 November 2016 (EUSR for Central Asia)",
    "004_1e1a6a2f2c58fe5b.txt": "Orumbayeva, Mamytov and Kurmangali, New approaches in combating "
                                "international terrorism and extremism in Central Asia "
                                "(Security and Human Rights Monitor)",
}

MAX_PASSAGE = 300

ORGANISATION_KINDS = (
    "donor",
    "un_agency",
    "intergovernmental",
    "government",
    "ngo",
    "academic",
    "private",
)
EVENT_KINDS = ("workshop", "conference", "seminar", "round_table", "training", "high_level_meeting")
THEMES = (
    "research",
    "youth",
    "women",
    "religious_leaders",
    "online",
    "media",
    "prisons",
    "migrants",
    "returnees",
    "border_management",
    "national_strategy",
    "regional_cooperation",
    "civil_society",
    "governance_human_rights",
    "training",
    "donor_coordination",
    "law_enforcement",
    "families",
)
PRIORITIES = ("critical", "important", "normal")
RECOMMENDATION_STATUSES = (
    "not_started",
    "in_progress",
    "partially_implemented",
    "implemented",
    "not_implemented",
    "no_longer_applicable",
)
ACTION_KINDS = (
    "policy_adopted",
    "plan_adopted",
    "funding_committed",
    "programme_launched",
    "training_delivered",
    "research_published",
    "institution_created",
    "meeting_held",
    "other",
)
ACTION_STATES = ("planned", "done")
RESULT_LEVELS = ("goal", "outcome", "output")
INDICATOR_TYPES = ("output", "outcome", "impact", "context")
MEASURES = ("number", "percentage", "nominal", "ordinal", "qualitative")
DIRECTIONS = ("increase", "decrease", "maintain")
CALCULATIONS = ("sum", "mean", "max", "latest", "ratio")
CUMULATIONS = ("non_cumulative", "cumulative", "non_summing_cumulative")
FREQUENCIES = ("monthly", "quarterly", "semi_annual", "annual")
DISAGGREGATIONS = ("sex", "age_group", "country", "target_group", "location")
VALUE_KINDS = ("reported", "planned")
BUDGET_KINDS = ("planned", "contracted", "actual")
QUALIFIERS = ("more than", "at least", "about", "almost", "at most", "less than")
PRECISIONS = ("day", "month", "year")

#: ISO 3166-1 alpha-2 codes, so that a typo in a country is caught rather than stored.
_ISO_3166_ALPHA_2 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRY_CODES = frozenset(_ISO_3166_ALPHA_2.split())
CURRENCIES = frozenset({"KZT", "USD", "EUR", "KGS", "TJS", "UZS", "TMT", "NOK"})

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RESULT_CODE = re.compile(r"^[1-9][0-9]*(?:\.[1-9][0-9]*)*$")
_DATE_TEXT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
