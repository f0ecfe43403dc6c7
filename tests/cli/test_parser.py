"""The command line's structure: the parser names one module per command, imported only
when that command runs; the constants the parser copies from heavy modules equal the
originals; what a fresh interpreter imports for `--help` and for `clean`."""
from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

from filterkit.cli import parser
from filterkit.report import formats as report_formats
from filterkit.report import inspect as report_inspect
from filterkit.training import corpus

COMMAND_MODULES = {"clean", "classify", "inspect", "boilerplate", "corpus", "train", "evaluate"}


def command_modules(command: argparse.ArgumentParser) -> set[str]:
    """The `module` each (sub)command of `command` sets."""
    found = {command.get_default("module")} - {None}
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subcommand in action.choices.values():
                found |= command_modules(subcommand)
    return found


def test_each_command_names_a_module_with_run():
    assert command_modules(parser.build_parser()) == COMMAND_MODULES
    for name in COMMAND_MODULES:
        assert callable(importlib.import_module(f"filterkit.cli.{name}").run)


def test_the_constants_the_parser_copies_equal_the_originals():
    assert parser.RENDERINGS == corpus.RENDERINGS
    assert parser.HTML_RENDERING == corpus.HTML_RENDERING
    assert parser.ALL_RENDERINGS == corpus.ALL_RENDERINGS
    assert parser.MAX_DOCUMENTS == report_inspect.MAX_DOCUMENTS
    assert parser.OUTPUT_FORMATS == report_formats.OUTPUT_FORMATS
    assert parser.TEXT_FORMATS == report_formats.TEXT_FORMATS


# What a fresh interpreter has imported after `main(ARGS)` for each ARGS, given as a JSON list
# on the command line: printed as JSON, with the exit statuses and what went to stderr.
IMPORTED = """
import contextlib, io, json, sys
from filterkit.cli import main
statuses = []
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
    for args in sys.argv[1:]:
        statuses.append(main(json.loads(args)))
print(json.dumps({"statuses": statuses, "stderr": err.getvalue(), "modules": sorted(sys.modules)}))
"""


def imported(run_subprocess, cwd: Path, *commands: list[str]) -> dict:
    result = run_subprocess(*(json.dumps(args) for args in commands), cwd=cwd, code=IMPORTED)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# The output formats (and their package): every command writes with them, and they are light.
OUTPUT_FORMAT_MODULES = {"filterkit.report", "filterkit.report.formats", "filterkit.report.markup"}


def only_for_others(modules: list[str], command: str | None = None) -> list[str]:
    """The modules among `modules` that only commands other than `command` need."""
    others = {f"filterkit.cli.{name}" for name in COMMAND_MODULES - {command}}
    return [m for m in modules if (m.startswith(("filterkit.training", "filterkit.report"))
                                   and m not in OUTPUT_FORMAT_MODULES) or m in others]


def test_help_version_and_usage_errors_import_no_command_and_no_scikit_learn(run_subprocess, tmp_path):
    found = imported(run_subprocess, tmp_path, ["--help"], ["--version"], ["train", "--help"],
                     ["clean", "--threshold", "2"], ["corpus"])
    assert found["statuses"] == [0, 0, 0, 2, 2]
    modules = found["modules"]
    assert only_for_others(modules) == []
    assert not [m for m in modules if m.startswith(("sklearn", "scipy", "filterkit.scale"))]


def test_a_missing_input_or_an_output_it_would_overwrite_is_reported_before_scikit_learn_is_imported(
        run_subprocess, tmp_path):
    (tmp_path / "article.txt").write_text("Council approves cycle lanes\n", encoding="utf-8")
    missing = [["clean", "missing.txt"], ["classify", "missing.txt"], ["clean", "--jsonl", "missing.jsonl"],
               ["inspect", "missing.txt", "-o", "report.html"], ["boilerplate", "count", "missing.jsonl", "-o", "c.npz"],
               ["train", "missing.jsonl", "-o", "m.joblib"], ["evaluate", "missing.jsonl"],
               ["corpus", "build", "missing", "-o", "corpus.jsonl"]]
    outputs = [["clean", "article.txt", "-o", "article.txt"], ["classify", "article.txt", "-o", "no/dir/rows.tsv"]]
    found = imported(run_subprocess, tmp_path, *missing, *outputs)
    assert found["statuses"] == [2] * (len(missing) + len(outputs))
    errors = found["stderr"].splitlines()
    assert len(errors) == len(missing) + len(outputs)
    assert all("missing" in line and ("No such file" in line or "no such directory" in line)
               for line in errors[:len(missing)])
    assert not [m for m in found["modules"] if m.startswith(("sklearn", "scipy", "filterkit.training",
                                                             "filterkit.report", "filterkit.filter"))
                and m not in OUTPUT_FORMAT_MODULES]


def test_clean_imports_no_training_report_or_other_command(run_subprocess, tmp_path, shipped_model):
    (tmp_path / "article.txt").write_text("Council approves cycle lanes\nThe council voted on Tuesday "
                                          "to build cycle lanes through the centre.\n", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><body><nav><a href='/'>Home</a></nav><article><h1>Council "
                                        "approves cycle lanes</h1><p>The council voted on Tuesday to build "
                                        "cycle lanes through the centre.</p></article></body></html>",
                                        encoding="utf-8")
    found = imported(run_subprocess, tmp_path, ["clean", "article.txt", "-o", "article.body"],
                     ["clean", "page.html", "-o", "page.body"])
    assert found["statuses"] == [0, 0], found["stderr"]
    assert {"filterkit.cli.clean", "filterkit.features.dom"} <= set(found["modules"])  # the HTML model ran
    assert only_for_others(found["modules"], "clean") == []


# Read for HTML pages only: trafilatura (a page's title and metadata) and its own
# libraries, and the HTML model's features.
HTML_ONLY = ("trafilatura", "htmldate", "courlan", "filterkit.features.dom")


def test_cleaning_a_text_file_imports_nothing_only_html_pages_need(run_subprocess, tmp_path, shipped_model):
    (tmp_path / "article.txt").write_text("Council approves cycle lanes\nThe council voted on Tuesday "
                                          "to build cycle lanes through the centre.\n", encoding="utf-8")
    found = imported(run_subprocess, tmp_path, ["clean", "article.txt", "-o", "article.body"])
    assert found["statuses"] == [0], found["stderr"]
    assert [m for m in found["modules"] if m.startswith(HTML_ONLY)] == []


def test_main_in_a_process_that_goes_on_leaves_the_garbage_collector_alone(capsys):
    # Only the program itself, about to exit, hands its objects to the OS (gc.freeze).
    import gc

    from filterkit.cli import main

    frozen = gc.get_freeze_count()
    assert main(["--version"]) == 0
    assert gc.get_freeze_count() == frozen
