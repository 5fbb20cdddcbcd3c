"""The computation core: pure functions over plain values, no Flask and no database.

``app/`` calls into it with plain values (dates, Decimals, the dataclasses of
``indicators.types``) and stores what it returns.
"""

from indicators.aggregate import (
    Mismatch,
    PeriodFigure,
    aggregate,
    check_disaggregation,
    life_of_project,
    period_figures,
    series,
    total_from_categories,
)
from indicators.progress import clamped, elapsed_fraction, progress, status
from indicators.quality import (
    DetailCode,
    Flag,
    FlagDetail,
    FlagKind,
    LateDetail,
    MismatchDetail,
    MissingDetail,
    OutlierDetail,
    Submission,
    late_reports,
    missing_periods,
    outliers,
    quality_flags,
    total_mismatches,
)
from indicators.types import (
    Calculation,
    Cumulation,
    Direction,
    Measure,
    Observation,
    Status,
    StatusBands,
)

__all__ = [
    "Calculation",
    "Cumulation",
    "DetailCode",
    "Direction",
    "Flag",
    "FlagDetail",
    "FlagKind",
    "LateDetail",
    "Measure",
    "Mismatch",
    "MismatchDetail",
    "MissingDetail",
    "Observation",
    "OutlierDetail",
    "PeriodFigure",
    "Status",
    "StatusBands",
    "Submission",
    "aggregate",
    "check_disaggregation",
    "clamped",
    "elapsed_fraction",
    "late_reports",
    "life_of_project",
    "missing_periods",
    "outliers",
    "period_figures",
    "progress",
    "quality_flags",
    "series",
    "status",
    "total_from_categories",
    "total_mismatches",
]
