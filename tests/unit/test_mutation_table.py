"""The mutants ``make mutate`` counts as equivalent are named by line: when a module grows, an
entry that no longer points at the code it was written for would hide a real survivor on that
line. Each entry must still point at a line holding what its operator changes."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("mutate", ROOT / "tests/mutation/mutate.py")
assert spec is not None and spec.loader is not None
mutate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mutate)


def _nodes_on(tree: ast.AST, line: int) -> list[ast.AST]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.expr | ast.stmt)
            and node.lineno <= line <= (node.end_lineno or node.lineno)]


# cosmic-ray's names of operators where Python's ast names them otherwise
AST_NAMES = {"Mul": "Mult"}


def _ast_type(name: str) -> type:
    return getattr(ast, AST_NAMES.get(name, name))  # type: ignore[no-any-return]


# the bare * before keyword-only parameters, which cosmic-ray reads as a multiplication
BARE_STAR = re.compile(r"(^|[(,])\s*\*\s*(,|\)|$)")


def _applies(operator: str, nodes: list[ast.AST], line: int, text: str = "") -> bool:
    """Whether a node on ``line`` (whose source is ``text``) holds what cosmic-ray's
    ``operator`` changes."""
    name = operator.removeprefix("core/")
    if name.startswith("ReplaceBinaryOperator_Mul_") and BARE_STAR.search(text):
        return True
    if name in ("ReplaceTrueWithFalse", "ReplaceFalseWithTrue"):
        value = name == "ReplaceTrueWithFalse"
        return any(isinstance(n, ast.Constant) and n.value is value and n.lineno == line
                   for n in nodes)
    if name == "NumberReplacer":
        return any(isinstance(n, ast.Constant) and type(n.value) in (int, float)
                   and n.lineno == line for n in nodes)
    if name.startswith("ReplaceBinaryOperator_"):
        kind = _ast_type(name.split("_")[1])
        return any(isinstance(n, ast.BinOp) and isinstance(n.op, kind) for n in nodes)
    if name.startswith("ReplaceComparisonOperator_"):
        kind = _ast_type(name.split("_")[1])
        return any(isinstance(n, ast.Compare) and any(isinstance(op, kind) for op in n.ops)
                   for n in nodes)
    if name == "AddNot":
        return any(isinstance(n, ast.If | ast.While | ast.IfExp | ast.Assert)
                   and n.test.lineno <= line <= (n.test.end_lineno or line) for n in nodes)
    if name == "ReplaceBreakWithContinue":
        return any(isinstance(n, ast.Break) and n.lineno == line for n in nodes)
    if name in ("ReplaceOrWithAnd", "ReplaceAndWithOr"):
        kind = ast.Or if name == "ReplaceOrWithAnd" else ast.And
        return any(isinstance(n, ast.BoolOp) and isinstance(n.op, kind) for n in nodes)
    raise AssertionError(f"no check written for {operator}")


@pytest.mark.parametrize(("module", "line", "operator"), sorted(mutate.EQUIVALENT),
                         ids=lambda value: str(value))
def test_each_equivalent_mutant_still_points_at_its_code(module: str, line: int,
                                                         operator: str) -> None:
    assert module in mutate.MODULES, f"{module} is not a module make mutate runs"
    source = (ROOT / module).read_text(encoding="utf-8")
    nodes = _nodes_on(ast.parse(source), line)
    assert _applies(operator, nodes, line, source.splitlines()[line - 1]), (
        f"{module}:{line} ({source.splitlines()[line - 1].strip()!r}) holds nothing that "
        f"{operator} changes: the entry has drifted from the code it was written for")


def test_the_check_tells_a_drifted_entry() -> None:
    tree = ast.parse("limit = 500.0\nflag = True\nif a > b:\n    total = a + b\n")
    assert _applies("core/NumberReplacer", _nodes_on(tree, 1), 1)
    assert not _applies("core/NumberReplacer", _nodes_on(tree, 2), 2)
    assert _applies("core/ReplaceTrueWithFalse", _nodes_on(tree, 2), 2)
    assert _applies("core/ReplaceComparisonOperator_Gt_GtE", _nodes_on(tree, 3), 3)
    assert not _applies("core/ReplaceComparisonOperator_Gt_GtE", _nodes_on(tree, 4), 4)
    assert _applies("core/ReplaceBinaryOperator_Add_Mul", _nodes_on(tree, 4), 4)
    assert _applies("core/AddNot", _nodes_on(tree, 3), 3)
    assert not _applies("core/ReplaceBinaryOperator_Mul_Div", _nodes_on(tree, 4), 4)
    signature = "def f(a: int, *,\n      b: int = 0) -> int:\n    return a\n"
    assert _applies("core/ReplaceBinaryOperator_Mul_Div", _nodes_on(ast.parse(signature), 1), 1,
                    "def f(a: int, *,")
    loop = ast.parse("for x in y:\n    if x:\n        break\n")
    assert _applies("core/ReplaceBreakWithContinue", _nodes_on(loop, 3), 3)
    assert not _applies("core/ReplaceBreakWithContinue", _nodes_on(loop, 2), 2)
    with pytest.raises(AssertionError, match="no check written"):
        _applies("core/ExceptionReplacer", _nodes_on(tree, 4), 4)


@pytest.mark.parametrize(("module", "line"), sorted(mutate.ANCHORS),
                         ids=lambda value: str(value))
def test_each_line_of_the_list_still_reads_as_when_its_entries_were_written(
        module: str, line: int) -> None:
    """A change of the line, even one the operator check above cannot see (another `is` on
    the line an entry drifted to), needs the entry looked at again."""
    source = (ROOT / module).read_text(encoding="utf-8").splitlines()
    assert source[line - 1].strip() == mutate.ANCHORS[(module, line)], (
        f"{module}:{line} has changed: is each entry of this line still equivalent? "
        "Point the entries at their line again and update ANCHORS")


def test_every_line_of_the_list_has_an_anchor_and_every_anchor_an_entry() -> None:
    assert {(module, line) for module, line, _op in mutate.EQUIVALENT} == set(mutate.ANCHORS)
    assert mutate.drifted() == []


def test_make_mutate_refuses_to_run_on_a_drifted_list(tmp_path: Path) -> None:
    (module, line), _text = next(iter(sorted(mutate.ANCHORS.items())))
    copy = tmp_path / module
    copy.parent.mkdir(parents=True)
    lines = (ROOT / module).read_text(encoding="utf-8").splitlines()
    lines.insert(line - 1, "# a line added above")
    copy.write_text("\n".join(lines), encoding="utf-8")
    for other in {m for m, _l in mutate.ANCHORS} - {module}:
        (tmp_path / other).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / other).write_text((ROOT / other).read_text(encoding="utf-8"),
                                      encoding="utf-8")
    stale = mutate.drifted(tmp_path)
    assert stale and stale[0].startswith(f"{module}:{line} reads '# a line added above'")
