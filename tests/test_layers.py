"""The package's folders are its stages: the runtime never reaches up into the layers
built on it (corpus scale, the report, training, the command line)."""
import ast
import importlib.util
from pathlib import Path

import pytest

PACKAGE = Path(importlib.util.find_spec("filterkit").origin).parent
RUNTIME = ("document.py", "errors.py", "limits.py", "lexicons", "read", "features", "model", "decide",
           "filter.py", "explain.py")
ABOVE_THE_RUNTIME = ("scale", "report", "training", "cli")
# Each runtime stage reads only the stages before it.
STAGES = ("read", "features", "model", "decide")
# The output formats: the runtime writes its output with them, so they stand on the
# runtime alone (checked below).
OUTPUT_FORMATS = ("report.formats", "report.markup")


def modules(name: str) -> list[Path]:
    path = PACKAGE / name
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def imported(path: Path) -> set[str]:
    """The filterkit modules a file imports, as dotted names below `filterkit`."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = here[:-1] if here[-1] != "__init__" else here[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = ".".join((*base, *([node.module] if node.module else [])))
            else:
                target = node.module or ""
            targets = [target] + ([f"{target}.{a.name}" for a in node.names] if not node.module or node.level else [])
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        names |= {t.removeprefix("filterkit.") for t in targets if t.startswith("filterkit.")}
    return names


def above_the_runtime(name: str) -> bool:
    """Whether a module (or a name in it) is above the runtime, the output formats aside."""
    in_formats = any(name == module or name.startswith(f"{module}.") for module in OUTPUT_FORMATS)
    return name.split(".")[0] in ABOVE_THE_RUNTIME and not in_formats


@pytest.mark.parametrize("part", RUNTIME)
def test_the_runtime_never_imports_scale_report_training_or_cli(part):
    for path in modules(part):
        reached = {name for name in imported(path) if above_the_runtime(name)}
        assert not reached, f"{path.relative_to(PACKAGE)} imports {sorted(reached)}"


@pytest.mark.parametrize("module", OUTPUT_FORMATS)
def test_the_output_formats_the_runtime_uses_import_only_the_runtime(module):
    path = PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
    reached = {name for name in imported(path) if above_the_runtime(name)}
    assert not reached, f"{module} imports {sorted(reached)}"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_reads_only_the_stages_before_it(stage):
    later = set(STAGES[STAGES.index(stage) + 1:]) | {"filter", "explain"}
    for path in modules(stage):
        reached = {name for name in imported(path) if name.split(".")[0] in later}
        assert not reached, f"{path.relative_to(PACKAGE)} imports {sorted(reached)}"


def test_the_check_sees_relative_imports():
    assert "training.corpus" in imported(PACKAGE / "training" / "augment.py")
    assert "read.blocks" in imported(PACKAGE / "features" / "dom.py")


def test_only_the_output_formats_of_report_are_open_to_the_runtime():
    assert not above_the_runtime("report.formats.render")
    assert above_the_runtime("report.inspect")
    assert above_the_runtime("report.formatsx")
