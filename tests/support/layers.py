"""Reads the imports of every module of a source tree and checks them against the layers.

The layers run one way: auth → programmes → frameworks → monitoring → evaluation, follow-up →
reports → the app factory and CLI. A module may import from its own layer and the ones below;
evaluation and follow-up sit side by side and import neither each other. Modules directly under
``app/`` are placed one by one: shared foundations below every package, ``web`` beside auth
(it knows the signed-in user), and the factory, CLI, model registry and template labels on top.
Every import counts, including those made only for type checking or inside a function.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Packages of app/ and their layer; equal numbers are peers that must not import each other.
PACKAGE_LAYERS = {
    "auth": 1,
    "programmes": 2,
    "jobs": 2,  # below the packages whose work runs as jobs; they register it
    "frameworks": 3,
    "evidence": 3,
    "mail": 3,  # above the jobs whose worker sends it; knows nothing of the domains
    "monitoring": 4,
    "evaluation": 5,
    "followup": 5,
    "iati": 5,  # reads across domains and writes projects and frameworks; reports reads its labels
    "reports": 6,
    "digest": 7,  # reads across the domains for the e-mail digest; nothing imports it
    "api": 7,  # reads across every domain, reports' loaders included; nothing imports it
}
# Modules directly under app/.
MODULE_LAYERS = {
    "db": 0, "cache": 0, "config": 0, "extensions": 0, "errors": 0, "forms": 0, "pagination": 0,
    "audit": 0, "records": 0, "exports": 0, "formatting": 0, "weblinks": 0, "languages": 0,
    "web": 1,
    "labels": 7, "models": 7, "cli": 7, "__init__": 7,
}


@dataclass(frozen=True)
class Import:
    source: str  # dotted module that imports, e.g. app.frameworks.views
    target: str  # dotted module imported, resolved to a module of the tree when one exists
    line: int


@dataclass(frozen=True)
class Violation:
    source: str
    target: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}: {self.reason}"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    return {module_name(root, path): path for path in sorted(root.rglob("*.py"))}


def _resolve(name: str, known: set[str]) -> str:
    """The longest prefix of ``name`` that is a module of the tree: app.x.y.Class → app.x.y."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return name


def imports(root: Path) -> Iterator[Import]:
    known = modules(root)
    names = set(known)
    top = root.name
    for source, path in known.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = source.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                targets = [f"{module}.{alias.name}" for alias in node.names] or [module]
            else:
                continue
            for target in targets:
                if target == top or target.startswith(top + "."):
                    yield Import(source, _resolve(target, names), node.lineno)


def layer_of(module: str) -> tuple[int, str] | None:
    """(layer, group) of an app module; None for a module no rule places."""
    parts = module.split(".")
    if len(parts) == 1:
        return MODULE_LAYERS["__init__"], "__init__"
    first = parts[1]
    if first in PACKAGE_LAYERS:
        return PACKAGE_LAYERS[first], first
    if first in MODULE_LAYERS:
        return MODULE_LAYERS[first], first
    return None


def layer_violations(root: Path) -> list[Violation]:
    found = []
    for imp in imports(root):
        source, target = layer_of(imp.source), layer_of(imp.target)
        if source is None or target is None:
            unplaced = imp.source if source is None else imp.target
            found.append(Violation(imp.source, imp.target, imp.line,
                                   f"{unplaced} has no layer: place it in tests/architecture"))
            continue
        (source_layer, source_group), (target_layer, target_group) = source, target
        if target_layer > source_layer:
            found.append(Violation(imp.source, imp.target, imp.line,
                                   f"{target_group} is above {source_group}"))
        elif (target_group != source_group and target_layer == source_layer
              and {source_group, target_group} <= set(PACKAGE_LAYERS)):
            found.append(Violation(imp.source, imp.target, imp.line,
                                   f"{source_group} and {target_group} are peers"))
    return found


def import_cycles(root: Path) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    graph: dict[str, set[str]] = {name: set() for name in modules(root)}
    for imp in imports(root):
        if imp.target in graph and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles
