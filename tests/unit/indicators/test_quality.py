"""Data-quality flags: missing periods, totals against categories, outliers, late reports."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.quality import (
    DetailCode,
    Flag,
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
from indicators.types import Calculation, Observation

D = Decimal
PROPERTY = settings(database=None, deadline=None, max_examples=150)


def month(number: int) -> date:
    """The first day of month ``number`` of 2024 (1-based; 13 is January 2025)."""
    return date(2024 + (number - 1) // 12, (number - 1) % 12 + 1, 1)


def row(number, value=None, *, category=None, num=None, den=None) -> Observation:
    return Observation(
        month(number), category=category, value=value, numerator=num, denominator=den
    )


def values(*numbers) -> list[Observation]:
    return [row(index, value) for index, value in enumerate(numbers, 1)]


# missing_periods -----------------------------------------------------------------------


def test_missing_periods_lists_expected_periods_without_a_value():
    rows = [row(1, 5), row(3, 7), row(4, None)]  # April has a row but no value
    expected = [month(4), month(2), month(1), month(3)]
    flags = missing_periods(rows, expected, Calculation.SUM)
    assert flags == [
        Flag(FlagKind.MISSING_PERIOD, month(2), MissingDetail()),
        Flag(FlagKind.MISSING_PERIOD, month(4), MissingDetail()),
    ]
    assert [flag.code for flag in flags] == [DetailCode.MISSING_PERIOD] * 2
    assert [flag.days_late for flag in flags] == [None, None]


def test_missing_periods_for_a_ratio_needs_the_pair():
    rows = [row(1, 50), row(2, num=1, den=2)]
    flags = missing_periods(rows, [month(1), month(2)], Calculation.RATIO)
    assert [flag.period for flag in flags] == [month(1)]


def test_missing_periods_of_one_category():
    rows = [row(1, 5), row(2, 5), row(1, 3, category="female")]
    flags = missing_periods(rows, [month(1), month(2)], Calculation.SUM, category="female")
    assert [(flag.period, flag.category) for flag in flags] == [(month(2), "female")]


def test_no_expected_periods_no_missing_flags():
    assert missing_periods([], [], Calculation.SUM) == []


# total_mismatches ----------------------------------------------------------------------


def test_total_mismatch_is_flagged_for_the_period_that_disagrees():
    totals = [row(1, 10), row(2, 12), row(3, 9)]
    sex = [
        *[row(1, v, category=c) for c, v in (("f", 6), ("m", 4))],  # 10: agrees
        *[row(2, v, category=c) for c, v in (("f", 6), ("m", 5))],  # 11 against 12
    ]  # March has no sex breakdown: nothing to compare
    flags = total_mismatches(totals, {"sex": sex}, Calculation.SUM)
    assert flags == [
        Flag(
            FlagKind.TOTAL_MISMATCH,
            month(2),
            MismatchDetail(DetailCode.TOTAL_MISMATCH_SUM, "sex", "value", D(12), D(11)),
        )
    ]
    assert flags[0].detail.difference == D(-1)


def test_total_mismatch_tolerance_is_passed_on():
    sex = [row(1, 6, category="f"), row(1, 5, category="m")]
    assert total_mismatches([row(1, 10)], {"sex": sex}, Calculation.SUM, tolerance=1) == []


def test_total_mismatch_detail_for_a_ratio():
    total = row(1, num=4, den=20)
    sex = [row(1, category="f", num=3, den=10), row(1, category="m", num=1, den=12)]
    [flag] = total_mismatches([total], {"sex": sex}, Calculation.RATIO)
    # Numerators 3 + 1 = 4 agree with the total; denominators 10 + 12 = 22 against 20.
    assert flag.code == DetailCode.TOTAL_MISMATCH_SUM
    assert flag.detail == MismatchDetail(
        DetailCode.TOTAL_MISMATCH_SUM, "sex", "denominator", D(20), D(22)
    )
    assert flag.detail.difference == D(2)


def test_total_mismatch_detail_for_a_max():
    age = [row(1, 6, category="young"), row(1, 4, category="old")]
    [flag] = total_mismatches([row(1, 7)], {"age group": age}, Calculation.MAX)
    assert flag.code == DetailCode.TOTAL_MISMATCH_MAX
    assert flag.detail == MismatchDetail(
        DetailCode.TOTAL_MISMATCH_MAX, "age group", "value", D(7), D(6)
    )
    assert flag.detail.difference == D(-1)


def test_total_mismatch_not_checked_for_a_mean():
    sex = [row(1, 60, category="f"), row(1, 50, category="m")]
    assert total_mismatches([row(1, 10)], {"sex": sex}, Calculation.MEAN) == []


# outliers ------------------------------------------------------------------------------


def test_high_outlier():
    # Sorted 10 11 12 13 50: median 12; deviations 2 1 0 1 38 → MAD 1.
    # z(50) = 0.6745 x 38 / 1 = 25.6; z(10) = 0.6745 x -2 = -1.3 stays.
    [flag] = outliers(values(10, 12, 11, 13, 50), Calculation.SUM)
    assert (flag.kind, flag.period, flag.category, flag.code) == (
        FlagKind.OUTLIER,
        month(5),
        None,
        DetailCode.OUTLIER,
    )
    assert isinstance(flag.detail, OutlierDetail)
    assert (flag.detail.value, flag.detail.median, flag.detail.limit) == (D(50), D(12), D("3.5"))
    assert round(flag.detail.score, 1) == D("25.6")


def test_low_outlier():
    # Sorted 10 98 100 101 102: median 100; deviations 0 2 2 1 90 → MAD 2.
    # z(10) = 0.6745 x -90 / 2 = -30.4.
    [flag] = outliers(values(100, 102, 98, 101, 10), Calculation.SUM)
    assert flag.period == month(5)
    assert isinstance(flag.detail, OutlierDetail)
    assert (flag.detail.value, flag.detail.median) == (D(10), D(100))
    assert round(flag.detail.score, 1) == D("-30.4")


def test_moderate_spread_has_no_outlier():
    # Median 12, deviations 4 2 0 2 4 → MAD 2; z(16) = 0.6745 x 4 / 2 = 1.35.
    assert outliers(values(8, 10, 12, 14, 16), Calculation.SUM) == []


def test_too_few_values_for_outliers():
    assert outliers(values(1, 1, 1000), Calculation.SUM) == []
    assert outliers([*values(1, 1, 1000), row(4)], Calculation.SUM) == []  # empty row


def test_mad_zero_falls_back_to_the_mean_absolute_deviation():
    # Median 5, deviations 0 0 0 0 45 → MAD 0; mean AD 45 / 5 = 9;
    # z(50) = 45 / (1.253314 x 9) = 3.99 > 3.5.
    [flag] = outliers(values(5, 5, 5, 5, 50), Calculation.SUM)
    assert flag.period == month(5)
    assert isinstance(flag.detail, OutlierDetail)
    assert round(flag.detail.score, 2) == D("3.99")
    assert flag.detail.limit == D("3.5")
    # The same series with a limit of 4 has no outlier.
    assert outliers(values(5, 5, 5, 5, 50), Calculation.SUM, threshold=4) == []


def test_all_values_equal_have_no_outlier():
    assert outliers(values(7, 7, 7, 7, 7), Calculation.SUM) == []


def test_outliers_of_a_ratio_use_the_period_shares():
    # Shares 0.5 0.5 0.6 0.5 and 0.95; the 0/0 period is left out.
    # Median 0.5, deviations 0 0 0.1 0 0.45 → MAD 0; mean AD 0.55 / 5 = 0.11;
    # z(0.95) = 0.45 / (1.253314 x 0.11) = 3.26 → not flagged; z(0.6) = 0.73.
    pairs = [(5, 10), (5, 10), (6, 10), (5, 10), (19, 20), (0, 0)]
    rows = [row(i, num=n, den=d) for i, (n, d) in enumerate(pairs, 1)]
    assert outliers(rows, Calculation.RATIO) == []
    # A sixth ordinary share tips the balance: mean AD 0.55 / 6, z(0.95) = 3.92.
    rows.append(row(7, num=1, den=2))
    assert [flag.period for flag in outliers(rows, Calculation.RATIO)] == [month(5)]


def test_outliers_of_one_category():
    rows = [row(i, v, category="female") for i, v in enumerate((10, 12, 11, 13, 50), 1)]
    rows.append(row(1, 1000))
    [flag] = outliers(rows, Calculation.SUM, category="female")
    assert (flag.period, flag.category) == (month(5), "female")


# late_reports --------------------------------------------------------------------------


def test_late_submission_counts_the_days():
    report = Submission(month(3), due=date(2024, 4, 15), submitted=date(2024, 4, 18))
    assert late_reports([report]) == [
        Flag(
            FlagKind.LATE_REPORT,
            month(3),
            LateDetail(DetailCode.LATE_SUBMITTED, date(2024, 4, 15), 3, date(2024, 4, 18)),
        )
    ]
    assert late_reports([report])[0].days_late == 3


def test_one_day_late():
    report = Submission(month(3), due=date(2024, 4, 15), submitted=date(2024, 4, 16))
    [flag] = late_reports([report])
    assert flag.detail == LateDetail(
        DetailCode.LATE_SUBMITTED, date(2024, 4, 15), 1, date(2024, 4, 16)
    )


def test_on_time_and_early_reports_are_not_flagged():
    on_time = Submission(month(1), due=date(2024, 2, 15), submitted=date(2024, 2, 15))
    early = Submission(month(2), due=date(2024, 3, 15), submitted=date(2024, 3, 1))
    assert late_reports([on_time, early]) == []


def test_outstanding_report_is_late_only_against_today():
    outstanding = Submission(month(3), due=date(2024, 4, 15))
    assert late_reports([outstanding]) == []
    assert late_reports([outstanding], today=date(2024, 4, 15)) == []
    [flag] = late_reports([outstanding], today=date(2024, 5, 1))
    assert flag.days_late == 16  # 15 days of April after the 15th, plus May 1st
    assert flag.detail == LateDetail(DetailCode.LATE_UNSUBMITTED, date(2024, 4, 15), 16)
    assert flag.detail.submitted is None


def test_late_reports_come_in_period_order():
    later = Submission(month(6), due=date(2024, 7, 15), submitted=date(2024, 7, 20))
    earlier = Submission(month(3), due=date(2024, 4, 15), submitted=date(2024, 4, 25))
    assert [flag.days_late for flag in late_reports([later, earlier])] == [10, 5]


# quality_flags -------------------------------------------------------------------------


def test_quality_flags_combines_every_check_in_period_order():
    totals = [row(1, 10), row(3, 12), row(4, 11), row(5, 13), row(6, 60)]
    sex = [row(3, 7, category="f"), row(3, 4, category="m")]  # 11 against 12
    submissions = [
        Submission(month(2), due=date(2024, 3, 15)),
        Submission(month(1), due=date(2024, 2, 15), submitted=date(2024, 2, 20)),
    ]
    flags = quality_flags(
        totals,
        Calculation.SUM,
        expected_periods=[month(n) for n in range(1, 7)],
        breakdowns={"sex": sex},
        submissions=submissions,
        today=date(2024, 3, 20),
    )
    # Median of 10 11 12 13 60 is 12, MAD 1: z(60) = 0.6745 x 48 = 32.4.
    assert [(flag.period, flag.kind) for flag in flags] == [
        (month(1), FlagKind.LATE_REPORT),
        (month(2), FlagKind.MISSING_PERIOD),
        (month(2), FlagKind.LATE_REPORT),
        (month(3), FlagKind.TOTAL_MISMATCH),
        (month(6), FlagKind.OUTLIER),
    ]
    assert flags[2].days_late == 5
    assert [flag.code for flag in flags] == [
        DetailCode.LATE_SUBMITTED,
        DetailCode.MISSING_PERIOD,
        DetailCode.LATE_UNSUBMITTED,
        DetailCode.TOTAL_MISMATCH_SUM,
        DetailCode.OUTLIER,
    ]


def test_quality_flags_defaults_check_only_the_series_itself():
    flags = quality_flags(values(10, 12, 11, 13, 50), Calculation.SUM)
    assert [flag.kind for flag in flags] == [FlagKind.OUTLIER]


def test_flag_kinds_are_the_stored_strings():
    assert [kind.value for kind in FlagKind] == [
        "missing_period",
        "total_mismatch",
        "outlier",
        "late_report",
    ]


def test_detail_codes_are_the_stored_strings():
    assert [code.value for code in DetailCode] == [
        "missing_period",
        "total_mismatch_sum",
        "total_mismatch_max",
        "outlier",
        "late_submitted",
        "late_unsubmitted",
    ]


def test_flags_carry_no_sentences():
    """A flag's detail is codes and numbers: no string but the disaggregation and field names."""
    totals = [row(1, 10), row(3, 12), row(4, 11), row(5, 13), row(6, 60)]
    flags = quality_flags(
        totals,
        Calculation.SUM,
        expected_periods=[month(n) for n in range(1, 7)],
        breakdowns={"sex": [row(3, 7, category="f"), row(3, 4, category="m")]},
        submissions=[Submission(month(2), due=date(2024, 3, 15))],
        today=date(2024, 3, 20),
    )
    assert len(flags) == 4
    for flag in flags:
        strings = {
            name: value
            for name, value in vars(flag.detail).items()
            if isinstance(value, str) and not isinstance(value, DetailCode)
        }
        assert set(strings) <= {"disaggregation", "field"}


# properties ----------------------------------------------------------------------------

amounts = st.decimals(min_value=-(10**4), max_value=10**4, places=2)


@PROPERTY
@given(numbers=st.lists(amounts, min_size=0, max_size=12), data=st.data())
def test_outliers_do_not_depend_on_order(numbers, data):
    rows = values(*numbers)
    shuffled = data.draw(st.permutations(rows))
    assert outliers(shuffled, Calculation.SUM) == outliers(rows, Calculation.SUM)


@PROPERTY
@given(
    numbers=st.lists(amounts, min_size=4, max_size=12),
    factor=st.sampled_from([D(2), D(10), D("0.5")]),
    shift=amounts,
)
def test_outliers_are_the_same_after_rescaling_the_series(numbers, factor, shift):
    def flagged(series: list[Decimal]) -> list[date]:
        return [flag.period for flag in outliers(values(*series), Calculation.SUM)]

    moved = [value * factor + shift for value in numbers]
    assert flagged(moved) == flagged(numbers)


@PROPERTY
@given(
    reported=st.sets(st.integers(1, 24)),
    expected=st.sets(st.integers(1, 24)),
)
def test_missing_periods_are_expected_minus_reported(reported, expected):
    rows = [row(number, 1) for number in reported]
    flags = missing_periods(rows, [month(n) for n in expected], Calculation.SUM)
    assert [flag.period for flag in flags] == [month(n) for n in sorted(expected - reported)]
