"""The tree shows the flow, and keeps showing it: the imports of ``etl/`` form layers without
cycles, a stage never imports another stage, the data path never imports the operations tools
or the generators, and no module grows past a few hundred lines.

Imports are read from the source (every ``import`` statement, those inside functions too), so a
cycle hidden in a function-level import fails here as well as one at the top of a module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit

ETL = PROJECT_ROOT / "etl"
MAX_LINES = 400
LAYERS = {
    # layer: the layers it may import (itself included)
    "base": {"base"},
    "warehouse": {"base", "warehouse"},
    "stage": {"base", "warehouse", "stage"},  # its own stage only: see stage_of
    "flow": {"base", "warehouse", "stage", "flow"},
    "generators": {"base", "generators"},
    "portal": {"base", "warehouse", "stage", "flow", "portal"},
    "ops": {"base", "warehouse", "stage", "flow", "generators", "ops"},
    "cli": {"base", "warehouse", "stage", "flow", "generators", "ops", "portal", "cli"},
}
DATA_PATH = {"base", "warehouse", "stage", "flow"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PROJECT_ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ETL.rglob("*.py"))}


def layer(module: str) -> str:
    if module in ("etl", "etl.settings") or module.startswith("etl.contract"):
        return "base"
    if module == "etl.__main__":
        return "cli"
    if module in ("etl.flow", "etl.reprocess"):
        return "flow"
    for name in ("warehouse", "ops", "generators", "portal"):
        if module == f"etl.{name}" or module.startswith(f"etl.{name}."):
            return name
    if module == "etl.stages" or module.startswith("etl.stages."):
        return "stage"
    raise AssertionError(f"{module} is in no layer: add it to one (tests/unit/test_layout.py)")


def stage_of(module: str) -> str | None:
    """``etl.stages.s2_extract.headers`` → ``s2_extract``; None for ``etl.stages`` itself."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "stages" else None


def imports(source: str, this: str, is_package: bool, known) -> Iterator[tuple[str, int]]:
    """The ``etl`` modules a module imports, anywhere in it, with the line of each import."""
    package = this if is_package else this.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "etl" or alias.name.startswith("etl."):
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base != "etl" and not base.startswith("etl."):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                # a submodule imported by name, else a name of the module itself
                yield (sub if sub in known else base), node.lineno


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        source = path.read_text(encoding="utf-8")
        for target, _ in imports(source, module, path.name == "__init__.py", known):
            if target not in known:
                raise AssertionError(f"{module} imports {target}, which does not exist")
            # a package's __init__ runs before its submodules: importing an ancestor is not a
            # dependency that can close a cycle
            if not module.startswith(target + "."):
                edges[module].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges[v]:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            if layer(target) not in LAYERS[layer(module)]:
                wrong.append(f"{module} ({layer(module)}) imports {target} ({layer(target)})")
    assert wrong == []


def test_a_stage_never_imports_another_stage():
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target in targets
        if stage_of(module) and layer(target) == "stage" and stage_of(target) != stage_of(module)
    ]
    assert wrong == []


def test_the_data_path_never_imports_operations_or_generators():
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        if layer(module) in DATA_PATH
        for target in targets
        if layer(target) in ("ops", "generators")
    ]
    assert wrong == []


def test_the_stages_are_the_flow_in_order():
    """The folder names of ``etl/stages`` are the five stages of DESIGN.md's flow, numbered."""
    stages = sorted(p.stem for p in (ETL / "stages").iterdir() if p.name != "__init__.py")
    stages = [s for s in stages if not s.startswith("__")]
    assert stages == ["s1_landing", "s2_extract", "s3_validate", "s4_load", "s5_publish"]


def test_modules_stay_a_few_hundred_lines():
    long = {
        module_name(p): n
        for p in ETL.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_checker_sees_a_cycle_and_a_function_level_import():
    """The checks above can fail: an import inside a function is read, relative imports are
    resolved, and a cycle is found."""
    source = "import os\n\ndef f():\n    from etl.stages.s4_load import load\n"
    known = {"etl.stages.s4_load", "etl.stages.s2_extract.cells"}
    assert list(imports(source, "etl.x", False, known)) == [("etl.stages.s4_load", 4)]
    relative = "from .cells import Galat\n"
    found = list(imports(relative, "etl.stages.s2_extract.xlsx", False, known))
    assert found == [("etl.stages.s2_extract.cells", 1)]
    assert cycles({"x": {"y"}, "y": {"z"}, "z": {"x"}, "w": {"x"}}) == [["x", "y", "z"]]
