"""Mutation testing of the modules that decide who may do what and what counts.

For each module, cosmic-ray changes the code one small way at a time (an operator, a
comparison, a constant, a removed statement) and runs the tests that concern the module; a
change that no test notices ("survived") is a missing test, unless it changes nothing
(an equivalent mutant, listed in ``EQUIVALENT`` with why).

Run with ``make mutate`` (not part of ``make test``): it works on a copy of the repository,
so the working tree is never left mutated, and prints a table of scores. ``make mutate
MODULES=indicators/aggregate.py`` runs one module.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = 90.0  # per cent of mutants killed, per module

# module -> the tests that concern it (fast enough to run once per mutant)
MODULES: dict[str, list[str]] = {
    "app/auth/permissions.py": ["tests/unit/app/test_permission_table.py"],
    "app/monitoring/approval.py": ["tests/functional/test_approval_states.py",
                                   "tests/functional/test_approval.py"],
    "app/monitoring/imports/checks.py": ["tests/unit/app/test_import_checks.py",
                                         "tests/functional/test_import_lookups.py"],
    "indicators/followup.py": ["tests/unit/indicators/test_followup.py"],
    "indicators/aggregate.py": ["tests/unit/indicators/test_aggregate.py",
                                "tests/unit/indicators/test_figures.py"],
    "indicators/figures.py": ["tests/unit/indicators/test_figures.py"],
    "indicators/pairscore.py": ["tests/unit/indicators/test_pairscore.py"],
}

# Survivors judged equivalent: (module, line, operator) -> why no test can tell them apart.
# Besides these, a change inside a type annotation is equivalent: every module has
# ``from __future__ import annotations``, so annotations are never evaluated at run time.
SAME_MEMBER = "an enum member is itself: `is` and `==` agree"
FROZEN = ("the figures are never changed once made: nothing assigns to a field, so a frozen "
          "dataclass and a plain one behave alike")
QUICK_OR_THOROUGH = ("the condition only chooses the quick reading of a number or the "
                     "thorough parser, which give the same text")
SAME_LENGTHS = ("the sequences zipped are built to the same length, so strict=False changes "
                "nothing")
WIDTH_PLUS_ONE = "there are 16 features: 16 + 1, 16 | 1 and 16 ^ 1 are all 17"
NOT_YET_SOLVED = ("back-substitution from the last unknown: every x[c] with c <= r is still 0, "
                  "so a range that starts at or before r + 1 adds only zeros")
SMALL_INT = "fold numbers are small ints, which CPython keeps once: `is` and `==` agree"
SYMMETRIC_DOT = "which vector the dot product loops over changes nothing: a . b == b . a"
EQUIVALENT: dict[tuple[str, int, str], str] = {
    ("indicators/pairscore.py", 95, "core/NumberReplacer"):
        "how often progress is reported is a cadence no rule depends on; the tests set their "
        "own and check the calls it gives",
    ("indicators/pairscore.py", 213, "core/ReplaceComparisonOperator_Gt_NotEq"):
        "across_languages is 0 or 1: > 0 and != 0 agree",
    ("indicators/pairscore.py", 329, "core/NumberReplacer"):
        "a feature that never varies is all zeros once centred, whatever its scale, so its "
        "weight is 0 under the ridge",
    ("indicators/pairscore.py", 91, "core/NumberReplacer"):
        "0.05 × step rounded to 2 or to 3 places gives the same 19 thresholds",
    ("indicators/pairscore.py", 149, "core/NumberReplacer"):
        "checked_records only checks that the threshold it is handed lies in [0, 1]; 0 and 1 "
        "both do, and the corpus uses no threshold",
    ("indicators/pairscore.py", 174, "core/ReplaceComparisonOperator_NotEq_IsNot"):
        "a text's language is one of the two string constants language.detect returns: "
        "`is not` and `!=` agree",
    ("indicators/pairscore.py", 207, "core/ReplaceComparisonOperator_NotEq_IsNot"):
        "a text's language is one of the two string constants language.detect returns: "
        "`is not` and `!=` agree",
    ("indicators/pairscore.py", 286, "core/ReplaceComparisonOperator_GtE_Eq"):
        "the words found grow one at a time from none: they reach the limit before they "
        "could pass it, so >= and == stop at the same word",
    ("indicators/pairscore.py", 286, "core/ReplaceComparisonOperator_GtE_Is"):
        "the words found reach the limit one at a time, and small ints are kept once by "
        "CPython: `is` stops at the same word as >=",
    ("indicators/pairscore.py", 289, "core/NumberReplacer"):
        "the stem list has exactly one element here: stemmed[-1] is stemmed[0]",
    ("indicators/pairscore.py", 340, "core/ReplaceBinaryOperator_Add_LShift"):
        "a Hessian with more rows: the loops and the solver read only its first width + 1",
    ("indicators/pairscore.py", 398, "core/NumberReplacer"):
        "a pair that is no candidate scores below every threshold at 0 or at -1 alike (a score "
        "of 1 is caught by the test that such a pair is never suggested)",
    ("indicators/pairscore.py", 452, "core/ReplaceComparisonOperator_NotEq_IsNot"):
        "the lengths compared are small ints, which CPython keeps once: `is not` and `!=` agree",
    ("indicators/pairscore.py", 390, "core/NumberReplacer"):
        "back-substitution writes each x[r] before any row above reads it, from the last "
        "down, so the starting values are never read",
    ("indicators/pairscore.py", 256, "core/ReplaceComparisonOperator_Eq_LtE"):
        "a remainder of positive numbers is never negative: <= 0 and == 0 agree",
    ("indicators/pairscore.py", 392, "core/NumberReplacer"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_BitAnd"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 316, "core/NumberReplacer"):
        "Newton's method stops by itself (every step below 1e-9) well within 24 iterations on "
        "the fits the tests and the shipped model make, so 24, 25 or 26 give the same weights",
    ("indicators/pairscore.py", 340, "core/NumberReplacer"):
        "a Hessian with one row more: the loops and the solver read only its first width + 1",
    ("indicators/pairscore.py", 360, "core/NumberReplacer"):
        "the first model's thresholds are never read: scores use only the weights, and every "
        "language pair gets its own threshold below",
    ("indicators/pairscore.py", 96, "core/NumberReplacer"):
        "the sigmoid of a logit beyond 499 or 501 is 0 or 1 to double precision alike",
    ("indicators/pairscore.py", 117, "core/ReplaceComparisonOperator_Gt_GtE"):
        "at a logit of exactly -500 both branches give 0 to double precision",
    ("indicators/pairscore.py", 115, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 326, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 330, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 333, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 341, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 342, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 357, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 416, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 418, "core/ReplaceTrueWithFalse"): SAME_LENGTHS,
    ("indicators/pairscore.py", 337, "core/ReplaceBinaryOperator_Add_BitOr"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 337, "core/ReplaceBinaryOperator_Add_BitXor"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 339, "core/ReplaceBinaryOperator_Add_BitOr"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 339, "core/ReplaceBinaryOperator_Add_BitXor"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 340, "core/ReplaceBinaryOperator_Add_BitOr"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 340, "core/ReplaceBinaryOperator_Add_BitXor"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 345, "core/ReplaceBinaryOperator_Add_BitOr"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 345, "core/ReplaceBinaryOperator_Add_BitXor"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 348, "core/ReplaceBinaryOperator_Add_BitOr"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 348, "core/ReplaceBinaryOperator_Add_BitXor"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 350, "core/ReplaceBinaryOperator_Add_BitOr"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 350, "core/ReplaceBinaryOperator_Add_BitXor"): WIDTH_PLUS_ONE,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_Mul"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_FloorDiv"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_Pow"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_Mod"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_BitOr"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_BitXor"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 392, "core/ReplaceBinaryOperator_Add_RShift"): NOT_YET_SOLVED,
    ("indicators/pairscore.py", 416, "core/ReplaceComparisonOperator_NotEq_IsNot"): SMALL_INT,
    ("indicators/pairscore.py", 418, "core/ReplaceComparisonOperator_Eq_Is"): SMALL_INT,
    ("indicators/pairscore.py", 526, "core/ReplaceComparisonOperator_Gt_Eq"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 526, "core/ReplaceComparisonOperator_Gt_NotEq"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 526, "core/ReplaceComparisonOperator_Gt_Lt"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 526, "core/ReplaceComparisonOperator_Gt_LtE"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 526, "core/ReplaceComparisonOperator_Gt_GtE"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 526, "core/ReplaceComparisonOperator_Gt_Is"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 526, "core/ReplaceComparisonOperator_Gt_IsNot"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 526, "core/AddNot"): SYMMETRIC_DOT,
    ("indicators/pairscore.py", 289, "core/ReplaceComparisonOperator_Eq_GtE"):
        "the word is one token already, and normalising one token gives at most one stem: "
        ">= 1 and == 1 agree",
    ("indicators/pairscore.py", 344, "core/NumberReplacer"):
        "the floor only guards a probability of exactly 0 or 1; with the ridge of 1 the "
        "weights stay small (below 1 on the labelled set, where p(1 - p) is never below "
        "0.007), so max never returns the floor, and a floor of -0.999999999 neither",
    ("indicators/pairscore.py", 358, "core/ReplaceComparisonOperator_Lt_LtE"):
        "a step of exactly 1e-9 in its largest component does not arise: < and <= stop at "
        "the same iteration",
    ("indicators/pairscore.py", 290, "core/NumberReplacer"):
        "stemmed holds exactly one stem here (checked on the line above): stemmed[-1] is "
        "stemmed[0], and stemmed[1] fails at once",
    ("indicators/pairscore.py", 287, "core/ReplaceBreakWithContinue"):
        "once the limit of shared words is reached every later word meets it too: continuing "
        "adds none, only reads the rest of the text",
    ("indicators/followup.py", 216, "core/ReplaceComparisonOperator_Is_Eq"):
        "an enum member is itself: `is` and `==` agree",
    ("indicators/followup.py", 216, "core/ReplaceComparisonOperator_Is_GtE"):
        "ActionState has two members; 'done' >= 'planned' is false, as 'done' is 'planned' is",
    ("indicators/followup.py", 263, "core/ReplaceComparisonOperator_Is_Eq"):
        "an enum member is itself: `is` and `==` agree",
    ("indicators/followup.py", 263, "core/ReplaceComparisonOperator_Is_GtE"):
        "ActionState has two members; 'done' >= 'planned' is false, as 'done' is 'planned' is",
    ("indicators/followup.py", 289, "core/ReplaceComparisonOperator_Eq_LtE"):
        "a count of recommendations is never negative: <= 0 and == 0 agree",
    ("indicators/followup.py", 291, "core/ReplaceComparisonOperator_Eq_LtE"):
        "a count of due recommendations is never negative: <= 0 and == 0 agree",
    ("indicators/followup.py", 293, "core/ReplaceComparisonOperator_Eq_LtE"):
        "a count of verified recommendations is never negative: <= 0 and == 0 agree",
    ("indicators/followup.py", 195, "core/ReplaceComparisonOperator_Is_Eq"):
        "an enum member is itself: `is` and `==` agree",
    ("indicators/followup.py", 195, "core/ReplaceComparisonOperator_Gt_NotEq"):
        "a count of meetings is never negative: != 0 and > 0 agree",
    ("indicators/followup.py", 243, "core/ReplaceComparisonOperator_Is_Eq"):
        "an enum member is itself: `is` and `==` agree",
    ("indicators/followup.py", 243, "core/ReplaceComparisonOperator_Is_LtE"):
        "no recommendation status sorts before 'implemented': <= holds only for itself",
    ("indicators/followup.py", 251, "core/ReplaceComparisonOperator_Is_Eq"):
        "an enum member is itself: `is` and `==` agree",
    ("indicators/followup.py", 362, "core/ReplaceComparisonOperator_Is_Eq"):
        "an enum member is itself: `is` and `==` agree",
    ("app/monitoring/imports/checks.py", 94, "core/ReplaceComparisonOperator_GtE_IsNot"):
        QUICK_OR_THOROUGH,
    ("app/monitoring/imports/checks.py", 95, "core/ReplaceComparisonOperator_NotEq_GtE"):
        QUICK_OR_THOROUGH,
    ("app/monitoring/imports/checks.py", 95, "core/ReplaceComparisonOperator_NotEq_IsNot"):
        QUICK_OR_THOROUGH,
    ("app/monitoring/imports/checks.py", 122, "core/ReplaceFalseWithTrue"):
        "an unknown indicator also stops the row where the lookups are checked",
    ("app/monitoring/imports/checks.py", 136, "core/ReplaceComparisonOperator_Eq_GtE"):
        "'approved' is handled above; of open, returned and submitted only 'submitted' is "
        ">= 'submitted'",
    ("app/monitoring/imports/checks.py", 136, "core/ReplaceComparisonOperator_Eq_Is"):
        SAME_MEMBER,
    ("app/monitoring/imports/checks.py", 133, "core/ReplaceComparisonOperator_Eq_Is"):
        SAME_MEMBER,
    ("app/monitoring/imports/checks.py", 133, "core/ReplaceComparisonOperator_Eq_LtE"):
        "'approved' sorts first of the period states: <= holds only for itself",
    ("app/monitoring/imports/checks.py", 132, "core/ReplaceFalseWithTrue"):
        "an unknown period also stops the row where the lookups are checked",
    ("app/monitoring/imports/checks.py", 158, "core/ReplaceOrWithAnd"):
        "a failed lookup has already set ok to False; the other conditions narrow types",
    ("app/monitoring/imports/checks.py", 66, "core/ReplaceBinaryOperator_BitOr_BitXor"):
        "'total' is never one of an indicator's own disaggregations: ^ and | give the same set",
    ("app/monitoring/imports/checks.py", 196, "core/ReplaceComparisonOperator_NotEq_Lt"):
        "the kinds are 'number', 'ratio' and 'text': < 'text' holds exactly when != 'text'",
    ("app/monitoring/imports/checks.py", 193, "core/ReplaceComparisonOperator_Eq_GtE"):
        "the kinds are 'number', 'ratio' and 'text': only 'text' is >= 'text'",
    ("app/auth/permissions.py", 117, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("app/auth/permissions.py", 119, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("app/auth/permissions.py", 117, "core/ReplaceComparisonOperator_Is_LtE"):
        "'admin' sorts first of the roles: <= holds only for itself",
    ("indicators/figures.py", 136, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/figures.py", 136, "core/ReplaceComparisonOperator_Is_LtE"):
        "of the three cumulation modes only 'cumulative' sorts at or before 'cumulative'",
    ("indicators/figures.py", 113, "core/ReplaceBinaryOperator_Mul_Div"):
        "the bare * of the signature becomes /: every caller passes include_provisional by name",
    ("indicators/figures.py", 53, "core/ReplaceTrueWithFalse"): FROZEN,
    ("indicators/figures.py", 65, "core/ReplaceTrueWithFalse"): FROZEN,
    ("indicators/figures.py", 76, "core/ReplaceTrueWithFalse"): FROZEN,
    ("indicators/figures.py", 94, "core/ReplaceTrueWithFalse"): FROZEN,
    ("indicators/aggregate.py", 54, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 64, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 111, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 130, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 58, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 61, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 156, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 210, "core/ReplaceComparisonOperator_Is_Eq"): SAME_MEMBER,
    ("indicators/aggregate.py", 58, "core/ReplaceComparisonOperator_Is_LtE"):
        "ratio is handled above; of sum, mean, max and latest only 'latest' is <= 'latest'",
    ("indicators/aggregate.py", 61, "core/ReplaceComparisonOperator_Is_LtE"):
        "ratio and latest are handled above; of sum, mean and max only 'max' is <= 'max'",
    ("indicators/aggregate.py", 64, "core/ReplaceComparisonOperator_Is_LtE"):
        "only sum and mean are left; 'sum' > 'mean', so <= 'mean' holds only for mean",
    ("indicators/aggregate.py", 111, "core/ReplaceComparisonOperator_Is_LtE"):
        "'non_cumulative' and 'non_summing_cumulative' sort after 'cumulative'",
    ("indicators/aggregate.py", 130, "core/ReplaceComparisonOperator_Is_GtE"):
        "'non_summing_cumulative' sorts after both other cumulation modes",
    ("indicators/aggregate.py", 77, "core/ReplaceComparisonOperator_Eq_GtE"):
        "the rows are sorted by period: the earlier one's period is never after the later's",
    ("indicators/aggregate.py", 234, "core/ReplaceComparisonOperator_Eq_GtE"):
        "no row's period key is above the newest (the maximum): >= holds only for equal keys",
    ("indicators/aggregate.py", 155, "core/NumberReplacer"):
        "the rows share one period key (checked above): the first and the last give the same "
        "period and end",
    ("indicators/aggregate.py", 234, "core/ReplaceComparisonOperator_Gt_NotEq"):
        "the newest row is one of the rows: the count is at least 1, so > 1 and != 1 agree",
}

# The source of each line EQUIVALENT names, as it read when the entry was written: when the
# module changes, an entry whose line now reads otherwise is refused (by make mutate and by
# tests/unit/test_mutation_table.py) until it is pointed at its line again.
ANCHORS: dict[tuple[str, int], str] = {
    ("app/auth/permissions.py", 117): "if user.role is Role.ADMIN:",
    ("app/auth/permissions.py", 119):
        "if user.role is Role.MANAGER or not isinstance(target, ProjectScoped):",
    ("app/monitoring/imports/checks.py", 66):
        "frozenset(t.code for t in i.disaggregations) | {TOTAL_CODE}, i.rules)",
    ("app/monitoring/imports/checks.py", 94):
        "if (number is None or not number.is_finite() or abs(number) >= MAX_NUMBER",
    ("app/monitoring/imports/checks.py", 95): "or number != number.quantize(FOUR_PLACES)):",
    ("app/monitoring/imports/checks.py", 122): "ok = False",
    ("app/monitoring/imports/checks.py", 132): "ok = False",
    ("app/monitoring/imports/checks.py", 133): "elif period.state == PeriodState.APPROVED:",
    ("app/monitoring/imports/checks.py", 136): "elif period.state == PeriodState.SUBMITTED:",
    ("app/monitoring/imports/checks.py", 158):
        "if not ok or indicator is None or period is None or category is None:",
    ("app/monitoring/imports/checks.py", 193):
        "if kind == \"text\" and parts[\"value\"] is not None:",
    ("app/monitoring/imports/checks.py", 196):
        "if kind != \"text\" and texts[\"text\"] is not None:",
    ("indicators/aggregate.py", 54): "if calculation is Calculation.RATIO:",
    ("indicators/aggregate.py", 58): "if calculation is Calculation.LATEST:",
    ("indicators/aggregate.py", 61): "if calculation is Calculation.MAX:",
    ("indicators/aggregate.py", 64): "if calculation is Calculation.MEAN:",
    ("indicators/aggregate.py", 77): "if earlier.period == later.period:",
    ("indicators/aggregate.py", 111):
        "if cumulation is Cumulation.CUMULATIVE and row.has_data(calculation):",
    ("indicators/aggregate.py", 130):
        "if Cumulation(cumulation) is Cumulation.NON_SUMMING_CUMULATIVE:",
    ("indicators/aggregate.py", 155): "first = usable[0]",
    ("indicators/aggregate.py", 156): "if calculation is Calculation.RATIO:",
    ("indicators/aggregate.py", 210):
        "(\"numerator\", \"denominator\") if calculation is Calculation.RATIO else (\"value\",)",
    ("indicators/aggregate.py", 234):
        "if sum(1 for row in rows if _period_key(row) == _period_key(newest)) > 1:",
    ("indicators/figures.py", 53): "@dataclass(frozen=True)",
    ("indicators/figures.py", 65): "@dataclass(frozen=True)",
    ("indicators/figures.py", 76): "@dataclass(frozen=True)",
    ("indicators/figures.py", 94): "@dataclass(frozen=True)",
    ("indicators/figures.py", 113): "expected: Callable[[date], Decimal], *,",
    ("indicators/figures.py", 136): "elif cumulation is Cumulation.CUMULATIVE:",
    ("indicators/followup.py", 195):
        "return self.status is FollowUpStatus.TALK_SHOP and self.metrics.meeting_only > 0",
    ("indicators/followup.py", 216): "if action.state is ActionState.PLANNED:",
    ("indicators/followup.py", 243):
        "if recommendation.status is RecommendationStatus.IMPLEMENTED:",
    ("indicators/followup.py", 251):
        "counting = [action.date for action, role in mine if role is ActionRole.COUNTS]",
    ("indicators/followup.py", 263):
        "planned = sum(action.state is ActionState.PLANNED for action, _role in mine)",
    ("indicators/followup.py", 289): "if recommendations == 0:",
    ("indicators/followup.py", 291): "if due == 0:",
    ("indicators/followup.py", 293): "if verified == 0:",
    ("indicators/followup.py", 362): "if result.status is FollowUpStatus.TALK_SHOP:",
    ("indicators/pairscore.py", 91):
        "THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 20))  # 0.05 … 0.95",
    ("indicators/pairscore.py", 95): "PROGRESS_EVERY = 1000",
    ("indicators/pairscore.py", 96):
        "_LOGIT_LIMIT = 500.0  # exp() of more than about 709 "
        "overflows; the sigmoid is flat long before",
    ("indicators/pairscore.py", 115):
        "for w, x, m, s in zip(self.weights, features, self.means, self.scales, strict=True)",
    ("indicators/pairscore.py", 117): "return 1 / (1 + math.exp(-z)) if z > -_LOGIT_LIMIT else 0.0",
    ("indicators/pairscore.py", 149): "self.records = similarity.checked_records(items, 0.0)",
    ("indicators/pairscore.py", 174): "across = self.languages[i] != self.languages[j]",
    ("indicators/pairscore.py", 207):
        "if self.languages[self.position[s.a]] != self.languages[self.position[s.b]]",
    ("indicators/pairscore.py", 213): "across = features[FEATURES.index(\"across_languages\")] > 0",
    ("indicators/pairscore.py", 256): "if progress is not None and done % PROGRESS_EVERY == 0:",
    ("indicators/pairscore.py", 286): "if len(found) >= limit:",
    ("indicators/pairscore.py", 287): "break",
    ("indicators/pairscore.py", 289):
        "if len(stemmed) == 1 and stemmed[0] in common and stemmed[0] not in found:",
    ("indicators/pairscore.py", 290): "found[stemmed[0]] = word",
    ("indicators/pairscore.py", 316):
        "def fit(pairs: Sequence[LabelledPair], ridge: float = "
        "1.0, iterations: int = 25) -> Model:",
    ("indicators/pairscore.py", 326):
        "columns = list(zip(*(p.features for p in pairs), strict=True))",
    ("indicators/pairscore.py", 329):
        "math.sqrt(sum((x - m) ** 2 for x in column) / len(column)) or 1.0",
    ("indicators/pairscore.py", 330): "for column, m in zip(columns, means, strict=True)",
    ("indicators/pairscore.py", 333):
        "[1.0, *((x - m) / s for x, m, s in zip(p.features, means, scales, strict=True))]",
    ("indicators/pairscore.py", 337): "beta = [0.0] * (width + 1)",
    ("indicators/pairscore.py", 339): "gradient = [0.0] * (width + 1)",
    ("indicators/pairscore.py", 340): "hessian = [[0.0] * (width + 1) for _ in range(width + 1)]",
    ("indicators/pairscore.py", 341): "for row, label in zip(rows, labels, strict=True):",
    ("indicators/pairscore.py", 342): "z = sum(b * x for b, x in zip(beta, row, strict=True))",
    ("indicators/pairscore.py", 344): "w = max(p * (1 - p), 1e-9)",
    ("indicators/pairscore.py", 345): "for k in range(width + 1):",
    ("indicators/pairscore.py", 348): "for m in range(k, width + 1):",
    ("indicators/pairscore.py", 350): "for k in range(width + 1):",
    ("indicators/pairscore.py", 357): "beta = [b + d for b, d in zip(beta, step, strict=True)]",
    ("indicators/pairscore.py", 358): "if max(abs(d) for d in step) < 1e-9:",
    ("indicators/pairscore.py", 360):
        "model = Model(beta[0], tuple(beta[1:]), means, scales, dict.fromkeys(GROUPS, 0.5),",
    ("indicators/pairscore.py", 390): "x = [0.0] * n",
    ("indicators/pairscore.py", 392):
        "x[r] = (rows[r][n] - sum(rows[r][c] * x[c] for c in range(r + 1, n))) / rows[r][r]",
    ("indicators/pairscore.py", 398):
        "return model.probability(pair.features) if pair.candidate else 0.0",
    ("indicators/pairscore.py", 416):
        "training = [p for p, f in zip(ordered, fold_of, strict=True) if f != fold]",
    ("indicators/pairscore.py", 418):
        "_count(counts, (p for p, f in zip(ordered, fold_of, strict=True) if f == fold), model)",
    ("indicators/pairscore.py", 452):
        "if not isinstance(values, list) or len(values) != len(FEATURES) or not all(",
    ("indicators/pairscore.py", 526): "if len(a) > len(b):",
}


def _annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) positions, as (line, column), of every type annotation in a module."""
    tree = ast.parse(path.read_text())
    spans = []
    for node in ast.walk(tree):
        found: list[ast.expr | None] = []
        if isinstance(node, ast.arg):
            found.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
        spans += [((a.lineno, a.col_offset), (a.end_lineno or a.lineno, a.end_col_offset or 0))
                  for a in found if a is not None]
    return spans


def _in_annotation(position: tuple[int, int],
                   spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> bool:
    return any(start <= position < end for start, end in spans)

CONFIG = """[cosmic-ray]
module-path = "{module}"
timeout = {timeout}
excluded-modules = []
test-command = "{command}"

[cosmic-ray.distributor]
name = "local"
"""


def _copy_repository(into: Path) -> Path:
    copy = into / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".tools", "instance", "mutants", "__pycache__", ".mypy_cache",
        ".ruff_cache", ".pytest_cache", ".hypothesis", "htmlcov"))
    return copy


def _run(module: str, tests: list[str], copy: Path, work: Path) -> tuple[int, int, int, list]:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome

    python = ROOT / ".venv" / "bin" / "python"
    existing = [t for t in tests if (copy / t).exists()]
    started = time.monotonic()
    baseline = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               *existing], cwd=copy, capture_output=True, text=True,
                              env=_env(copy), check=False)
    if baseline.returncode != 0:
        raise SystemExit(f"{module}: the tests fail before any mutation:\n{baseline.stdout}")
    timeout = max(10.0, 5 * (time.monotonic() - started))
    config = work / (module.replace("/", "_") + ".toml")
    command = (f"{python} -m pytest -x -q -p no:cacheprovider {_conftest(existing)}"
               f"-o addopts='--import-mode=importlib' {' '.join(existing)}")
    config.write_text(CONFIG.format(module=module, timeout=timeout, command=command))
    session = work / (module.replace("/", "_") + ".sqlite")
    cosmic = str(ROOT / ".venv" / "bin" / "cosmic-ray")
    subprocess.run([cosmic, "init", str(config), str(session)], cwd=copy, check=True,
                   env=_env(copy))
    _skip_annotations(session, copy / module)
    subprocess.run([cosmic, "exec", str(config), str(session)], cwd=copy, check=True,
                   env=_env(copy))
    killed = survived = incompetent = 0
    survivors = []
    spans = _annotation_spans(copy / module)
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.test_outcome == TestOutcome.KILLED:
                killed += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                mutation = item.mutations[0]
                key = (module, mutation.start_pos[0], mutation.operator_name)
                if key in EQUIVALENT or _in_annotation(tuple(mutation.start_pos), spans):
                    incompetent += 1  # equivalent: no behaviour to tell apart
                else:
                    survived += 1
                    survivors.append((mutation.start_pos[0], mutation.operator_name,
                                      mutation.occurrence))
            else:
                incompetent += 1
    return killed, survived, incompetent, survivors  # excluded: equivalent or not valid code


def _conftest(tests: list[str]) -> str:
    """Unit tests that need none of the shared fixtures run without loading them (faster)."""
    return "--noconftest " if all(t.startswith("tests/unit/") for t in tests) else ""


def _skip_annotations(session: Path, source: Path) -> None:
    """Mark the mutants inside type annotations as skipped before any test runs: they are
    equivalent, and there are many (each ``X | None`` gives a dozen)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    spans = _annotation_spans(source)
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            if all(_in_annotation(tuple(m.start_pos), spans) for m in item.mutations):
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))


def _env(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = f"{copy}{os.pathsep}{copy / 'tests' / 'support'}"
    env.pop("TEST_DATABASE_URL", None)  # SQLite: the rules do not depend on the database
    env.setdefault("PVE_PROPERTY_EXAMPLES", "30")  # property tests: fewer examples per mutant
    return env


def drifted(root: Path = ROOT) -> list[str]:
    """Each line of :data:`EQUIVALENT` whose source no longer reads as :data:`ANCHORS` says,
    or that has no anchor: such an entry could excuse a survivor it was not written for."""
    found = []
    for module, line in sorted({(module, line) for module, line, _op in EQUIVALENT}):
        lines = (root / module).read_text(encoding="utf-8").splitlines()
        now = lines[line - 1].strip() if line <= len(lines) else ""
        was = ANCHORS.get((module, line))
        if now != was:
            found.append(f"{module}:{line} reads {now!r}; its entries were written for {was!r}")
    return found


def main(argv: list[str]) -> int:
    chosen = argv or list(MODULES)
    stale = drifted()
    if stale:
        print("The list of equivalent mutants has drifted from the code; point each entry "
              "at its line again and update ANCHORS:\n  " + "\n  ".join(stale))
        return 2
    rows = []
    with tempfile.TemporaryDirectory(prefix="pvetrack-mutate-") as tmp:
        work = Path(tmp)
        copy = _copy_repository(work)
        for module in chosen:
            started = time.monotonic()
            killed, survived, incompetent, survivors = _run(module, MODULES[module], copy, work)
            total = killed + survived
            score = 100.0 * killed / total if total else 100.0
            rows.append((module, total, killed, survived, incompetent, score,
                         time.monotonic() - started))
            for line, operator, occurrence in survivors:
                print(f"  survived: {module}:{line} {operator} #{occurrence}")
    print(f"\n{'module':40} {'mutants':>8} {'killed':>7} {'survived':>9} {'excluded':>8} "
          f"{'score':>7} {'time':>7}")
    for module, total, killed, survived, incompetent, score, seconds in rows:
        print(f"{module:40} {total:8d} {killed:7d} {survived:9d} {incompetent:8d} "
              f"{score:6.1f}% {seconds:6.0f}s")
    failing = [r[0] for r in rows if r[5] < TARGET]
    if failing:
        print(f"\nBelow {TARGET:.0f} %: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
