"""The quality gate CI runs: filterkit's figures on data its shipped models were not tuned
on, against floors pinned in the repository (`.ci/quality-baseline.json`).

    python -m filterkit.training.gate [--shared DIR] [--baseline FILE]
                                      [--update [--allow-lower]] [--threshold P]

Figures, on every page of `data/trafilatura-eval-dev` (both shipped models were trained
on WCXB pages only) and on the seed articles:

- `html F1`: snippet F1 (`filterkit.training.snippets`) of `filterkit.clean(page bytes)`,
  the HTML model; trafilatura's `extract` with its defaults beside it, same pages, same run.
- `text F1`: the text model on scraped text: each page rendered by trafilatura
  favor_recall with comments (the corpus builder's `trafilatura-recall`), cleaned; beside
  it the F1 of the rendering unfiltered. `text F1 gain`: the difference, page for page,
  which a model that beats doing nothing holds above 0.
- `seeds content kept`, `seeds junk removed`: lines of the seed articles, as
  `../shared/tools/check_seeds.py` scores them.
- `inline junk removed`, `inline body kept`: held-out bodies (the lines of a page's
  rendering that hold a `with` snippet, in order, when there are at least three) with
  one junk line of `JUNK_LINES` put between two body lines, a document per junk family;
  line and place chosen by a seed per page. `wrapped inline ...`: the same documents
  hard-wrapped at WRAP_WIDTH columns, one newline between lines, as `fold -s` leaves them.

A figure fails when it is under its floor by more than its margin: twice the standard
deviation of the figure over `RESAMPLES` bootstrap resamples of its pages (seed files for
the seeds), measured with the floor. The gate also fails when the data's digest is not
the pinned one (the floors were measured on other data), and when a model card names the
source in its training data (it is then no longer held out). `--update` pins the figures
just measured as the floors; it refuses to lower a floor unless `--allow-lower` is given,
and a lowered floor needs a line in the commit message that says which and why.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .corpus import render
from .peers import read_page, trafilatura_outputs
from .snippets import EvalPage, normalise, page_counts, read_evaldata, snippet_f1, snippet_precision, \
    snippet_recall

SOURCE = Path("data") / "trafilatura-eval-dev"
SEEDS = Path("seeds")
BASELINE = Path(".ci") / "quality-baseline.json"
RENDERING = "trafilatura-recall"
RANDOM_SEED = 21  # the inline documents' junk lines and places, and the bootstrap
RESAMPLES = 200
MARGIN_SDS = 2.0
DECIMALS = 4  # figures, floors and margins are pinned rounded to this
MIN_BODY_LINES = 3
WRAP_WIDTH = 80  # the wrapped inline documents' column limit

# Junk as scraped text carries it inside article bodies, a few lines per family; written
# for the gate, not taken from the seeds (but for 'Leave a Reply', which is everywhere).
JUNK_LINES = {
    "related": (
        "Also Read: Central bank keeps interest rates on hold as inflation eases",
        "READ MORE: Five things we learned from last night's debate",
        "See also: How the new tax rules affect small businesses",
        "Lesen Sie auch: Was die neue Grundsteuer für Mieter bedeutet",
    ),
    "promo": (
        "Advertisement",
        "Story continues below advertisement",
        "Sign up for our newsletter to get the best stories delivered to your inbox.",
        "Follow us on Google News",
        "Anzeige",
    ),
    "comment": (
        "Leave a Reply",
        "Join the conversation: 14 comments",
        "Be the first to comment on this article",
        "Kommentar schreiben",
    ),
    "chrome": (
        "Share this article",
        "Share on Facebook Share on X Share via Email",
        "Click to print (Opens in new window)",
        "Artikel teilen",
    ),
}


# --- figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """A figure as the gate compares it: value and margin (rounded to DECIMALS), and what
    was measured beside it (a name and a value)."""

    value: float
    margin: float
    beside: tuple[str, float] | None = None
    detail: str = ""


@dataclass(frozen=True)
class Figure:
    """A figure with what it is made of: a row of counts per unit (page or seed file),
    summed over units and scored by `score`, so that resampling units resamples it."""

    counts: np.ndarray
    score: Callable[..., float]
    beside: tuple[str, float] | None = None
    detail: str = ""

    @property
    def value(self) -> float:
        return float(self.score(*self.counts.sum(axis=0)))

    def margin(self, resamples: int = RESAMPLES, seed: int = RANDOM_SEED) -> float:
        """MARGIN_SDS standard deviations of the figure over bootstrap resamples of its units."""
        units = len(self.counts)
        if not units:
            return 0.0
        picks = np.random.default_rng(seed).integers(0, units, size=(resamples, units))
        values = [self.score(*sums) for sums in self.counts[picks].sum(axis=1)]
        return MARGIN_SDS * float(np.std(values))

    def measured(self) -> Measured:
        beside = None if self.beside is None else (self.beside[0], round(self.beside[1], DECIMALS))
        return Measured(round(self.value, DECIMALS), round(self.margin(), DECIMALS), beside, self.detail)


def share(hits, total) -> float:
    return hits / total if total else 1.0


def kept_lines(output: str) -> set[str]:
    """The lines a cleaned output holds, stripped, as check_seeds.py compares them."""
    return {line.strip() for line in output.splitlines() if line.strip()}


def clean_or_empty(cleaner, source, failures: list[str], what: str) -> str:
    """The cleaned body, or "" when cleaning fails (a failure scores as an empty output)."""
    try:
        return cleaner.clean(source)
    except Exception as exc:  # the gate measures: a failing page counts, it does not stop the run
        failures.append(f"{what}: {type(exc).__name__}: {exc}")
        return ""


def snippet_counts(pages: list[EvalPage], outputs: list[str]) -> np.ndarray:
    """(tp, fp, fn, tn) of each page's output, a row per page."""
    return np.array([page_counts(p, o).as_tuple() for p, o in zip(pages, outputs, strict=True)]).reshape(-1, 4)


def snippet_figure(ours: np.ndarray, theirs: np.ndarray, name: str) -> Figure:
    """Snippet F1 of our counts, with the F1 of `name`'s counts beside it."""
    ours_sum, theirs_sum = ours.sum(axis=0), theirs.sum(axis=0)
    detail = (f"P {snippet_precision(*ours_sum):.3f} R {snippet_recall(*ours_sum):.3f}; {name} "
              f"P {snippet_precision(*theirs_sum):.3f} R {snippet_recall(*theirs_sum):.3f}")
    return Figure(ours, snippet_f1, (name, snippet_f1(*theirs_sum)), detail)


def f1_gain(*counts) -> float:
    """Snippet F1 of the first four counts minus that of the next four."""
    return snippet_f1(*counts[:4]) - snippet_f1(*counts[4:])


def gain_figure(ours: np.ndarray, theirs: np.ndarray, name: str) -> Figure:
    """How much our snippet F1 beats `name`'s on the same pages (resampled in pairs, so
    its margin is the noise of the difference, not of either figure)."""
    return Figure(np.hstack([ours, theirs]), f1_gain, detail=f"F1 minus {name}'s, same pages")


def body_lines(page: EvalPage, lines: list[str]) -> list[str]:
    """The lines of a page's rendering that hold one of its `with` snippets, in order."""
    wanted = [normalise(s) for s in page.with_]
    return [line for line in lines if any(w in normalise(line) for w in wanted)]


def inline_documents(page: EvalPage, lines: list[str], seed: int = RANDOM_SEED) -> list[tuple[list[str], str, str]]:
    """A page's held-out body with one junk line put between two of its lines, one document
    per junk family: (body lines, junk line, document text); none when the body has fewer
    than MIN_BODY_LINES lines. Line and place come from a generator seeded by the page's
    URL, so that they do not depend on the other pages."""
    body = body_lines(page, lines)
    if len(body) < MIN_BODY_LINES:
        return []
    rng = random.Random(f"{seed}:{page.url}")
    documents = []
    for family in JUNK_LINES:
        junk = rng.choice(JUNK_LINES[family])
        at = rng.randint(1, len(body) - 1)
        documents.append((body, junk, "\n".join([*body[:at], junk, *body[at:]])))
    return documents


def wrapped(line: str, width: int = WRAP_WIDTH) -> list[str]:
    """A line hard-wrapped at `width` columns between words, as `fold -s -w WIDTH` wraps."""
    return textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [line]


def inline_figures(pages: list[EvalPage], renderings: list[list[str]], cleaner,
                   failures: list[str], width: int | None = None) -> tuple[Figure, Figure]:
    """Junk lines removed and body lines kept, over the inline documents of every page
    that has a held-out body (a row of counts per page). With `width`, each document's
    lines are hard-wrapped at that many columns, one newline between them: a line counts
    as kept when all its wrapped lines are, as removed when none is."""
    split = (lambda line: [line.strip()]) if width is None else (lambda line: wrapped(line, width))
    rows = []
    removed_by_family = dict.fromkeys(JUNK_LINES, 0)
    for page, lines in zip(pages, renderings, strict=True):
        documents = inline_documents(page, lines)
        if not documents:
            continue
        removed = body_kept = body_all = 0
        for family, (body, junk, text) in zip(JUNK_LINES, documents):
            if width is not None:
                text = "\n".join(part for line in text.split("\n") for part in wrapped(line, width))
            what = f"{page.url} (inline {family}{'' if width is None else f', wrapped at {width}'})"
            kept = kept_lines(clean_or_empty(cleaner, text, failures, what))
            gone = not any(part.strip() in kept for part in split(junk))
            removed_by_family[family] += gone
            removed += gone
            body_kept += sum(all(part.strip() in kept for part in split(line)) for line in body)
            body_all += len(body)
        rows.append([removed, len(documents), body_kept, body_all])
    counts = np.array(rows, dtype=float).reshape(-1, 4)
    junk, body = counts[:, :2], counts[:, 2:]
    families = ", ".join(f"{family} {removed}/{len(rows)}" for family, removed in removed_by_family.items())
    return (Figure(junk, share, detail=f"{int(junk[:, 0].sum())}/{int(junk[:, 1].sum())}: {families}"),
            Figure(body, share, detail=f"{int(body[:, 0].sum())}/{int(body[:, 1].sum())} lines, "
                                       f"{len(rows)} pages"))


def seed_figures(seeds_dir: Path, cleaner) -> tuple[Figure, Figure]:
    """Content lines kept and junk lines removed over the seed articles (a row per file)."""
    content, junk = [], []
    for record in seed_records(seeds_dir):
        kept = kept_lines(cleaner.clean((seeds_dir / record["file"]).read_text(encoding="utf-8")))
        content_kept = [p["text"] in kept for p in record["paragraphs"] if p["label"] == "content"]
        junk_kept = [p["text"] in kept for p in record["paragraphs"] if p["label"] != "content"]
        content.append([sum(content_kept), len(content_kept)])
        junk.append([len(junk_kept) - sum(junk_kept), len(junk_kept)])
    content_counts, junk_counts = np.array(content, dtype=float), np.array(junk, dtype=float)
    return tuple(Figure(counts, share, detail=f"{int(counts[:, 0].sum())}/{int(counts[:, 1].sum())} lines")
                 for counts in (content_counts, junk_counts))


def seed_records(seeds_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (seeds_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def figures(pages: list[EvalPage], seeds_dir: Path | None, cleaner, log: Callable[[str], None] = print
            ) -> dict[str, Figure]:
    """Every figure of the gate on these pages (and the seeds, unless `seeds_dir` is None),
    cleaned by `cleaner` (a `filterkit.Filter`)."""
    failures: list[str] = []
    html_out, text_out, unfiltered, renderings = [], [], [], []
    for page in pages:
        html = read_page(page.path)
        html_out.append(clean_or_empty(cleaner, html, failures, f"{page.url} (html)"))
        lines = render(html, RENDERING)[0]
        renderings.append(lines)
        unfiltered.append("\n".join(lines))
        text_out.append(clean_or_empty(cleaner, unfiltered[-1], failures, f"{page.url} (text)") if lines else "")
    peer = [o.text for o in trafilatura_outputs([(p.url, "", p.path) for p in pages], "trafilatura")]
    text, unfiltered_counts = snippet_counts(pages, text_out), snippet_counts(pages, unfiltered)
    result = {
        "html F1": snippet_figure(snippet_counts(pages, html_out), snippet_counts(pages, peer), "trafilatura"),
        "text F1": snippet_figure(text, unfiltered_counts, "unfiltered"),
        "text F1 gain": gain_figure(text, unfiltered_counts, "unfiltered"),
    }
    if seeds_dir is not None:
        result["seeds content kept"], result["seeds junk removed"] = seed_figures(seeds_dir, cleaner)
    result["inline junk removed"], result["inline body kept"] = inline_figures(pages, renderings, cleaner, failures)
    result["wrapped inline junk removed"], result["wrapped inline body kept"] = inline_figures(
        pages, renderings, cleaner, failures, width=WRAP_WIDTH)
    for failure in failures[:5]:
        log(f"cleaning failed, scored as empty: {failure}")
    if len(failures) > 5:
        log(f"... and {len(failures) - 5} more failures")
    return result


# --- the data and the baseline -----------------------------------------------------------


def data_digest(source_dir: Path, pages: Iterable[EvalPage], seeds_dir: Path) -> str:
    """SHA-256 over evaldata.json, each page file used (name and bytes), the seeds'
    labels and each seed file."""
    digest = hashlib.sha256()

    def add(path: Path, root: Path) -> None:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())

    add(source_dir / "evaldata.json", source_dir)
    for page in pages:
        add(page.path, source_dir)
    add(seeds_dir / "labels.jsonl", seeds_dir)
    for record in seed_records(seeds_dir):
        add(seeds_dir / record["file"], seeds_dir)
    return digest.hexdigest()


@dataclass
class Verdict:
    name: str
    measured: Measured | None
    floor: float | None
    margin: float | None
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def verdicts(measured: dict[str, Measured], baseline: dict) -> list[Verdict]:
    """Each figure against its floor: under floor - margin fails, as does a figure without
    a floor (or a floor without a figure)."""
    pinned = baseline.get("figures", {})
    result = []
    for name, figure in measured.items():
        if name not in pinned:
            verdict = Verdict(name, figure, None, None, ["no floor pinned: run with --update"])
        else:
            floor, margin = pinned[name]["floor"], pinned[name]["margin"]
            verdict = Verdict(name, figure, floor, margin)
            if figure.value < round(floor - margin, DECIMALS):
                verdict.problems.append(f"{figure.value - floor:+.4f} vs floor")
        result.append(verdict)
    for name in pinned.keys() - measured.keys():
        result.append(Verdict(name, None, pinned[name]["floor"], pinned[name]["margin"], ["not measured"]))
    return result


def lowered_floors(measured: dict[str, Measured], baseline: dict) -> list[str]:
    """The floors that pinning `measured` would lower (or drop), one line each."""
    pinned = baseline.get("figures", {})
    lines = [f"{name}: {measured[name].value:.4f} < floor {floor['floor']:.4f}"
             for name, floor in pinned.items() if name in measured and measured[name].value < floor["floor"]]
    return lines + [f"{name}: floor {pinned[name]['floor']:.4f} dropped (not measured)"
                    for name in sorted(pinned.keys() - measured.keys())]


def new_baseline(measured: dict[str, Measured], about: dict) -> dict:
    """The baseline file's content: `about` (data digest, sample, versions, date) and per
    figure its floor, margin and what was measured beside it."""
    pinned = {}
    for name, figure in measured.items():
        pinned[name] = {"floor": figure.value, "margin": figure.margin}
        if figure.beside is not None:
            pinned[name]["beside"] = {"name": figure.beside[0], "value": figure.beside[1]}
    return {**about, "figures": pinned}


def update(measured: dict[str, Measured], baseline: dict, about: dict, path: Path,
           allow_lower: bool, log: Callable[[str], None] = print) -> int:
    """Pin `measured` as the floors in `path`; refuse (1) when that lowers a floor, unless
    `allow_lower`."""
    lowered = lowered_floors(measured, baseline)
    if lowered and not allow_lower:
        log("REFUSED: pinning these figures would lower floors:")
        for line in lowered:
            log(f"  {line}")
        log("Fix the regression, or re-run with --update --allow-lower and add a line to the "
            "commit message naming each lowered floor and why.")
        return 1
    path.write_text(json.dumps(new_baseline(measured, about), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    log(f"pinned {len(measured)} floors in {path}")
    if lowered:
        log("LOWERED (--allow-lower): " + "; ".join(lowered))
        log("Lowering a floor needs a line in the commit message naming each lowered floor and why.")
    return 0


# --- the report ----------------------------------------------------------------------------


def report(results: list[Verdict]) -> str:
    """A small table: figure, value, floor, margin, what was measured beside, PASS/FAIL."""
    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    width = max([len("figure"), *(len(v.name) for v in results)])
    lines = [f"{'figure':<{width}} {'value':>7} {'floor':>7} {'margin':>7}  {'beside':<19} result  detail"]
    for v in results:
        m = v.measured
        beside = f"{m.beside[0]} {m.beside[1]:.4f}" if m and m.beside else "-"
        status = "PASS" if v.passed else "FAIL"
        detail = "; ".join([*v.problems, *([m.detail] if m and m.detail else [])])
        lines.append(f"{v.name:<{width}} {number(m and m.value):>7} {number(v.floor):>7} {number(v.margin):>7}  "
                     f"{beside:<19} {status:<6}  {detail}")
    return "\n".join(lines)


# --- the command ---------------------------------------------------------------------------


# How a model card credits the gate's source among its training data (sources.py's credit).
SOURCE_MARKS = ("trafilatura-eval-dev", "trafilatura evaluation", "evaldata.json")


def trained_on_source(card: dict) -> bool:
    """Whether a model card names the gate's source in its training data: the gate's
    figures are then no longer measured on data the model was not tuned on."""
    return any(mark in json.dumps(card.get("training_data", "")).lower() for mark in SOURCE_MARKS)


def measure(shared: Path, cleaner, log: Callable[[str], None] = print) -> tuple[dict[str, Measured], dict]:
    """The figures on the shared data as `cleaner` (a `filterkit.Filter`) cleans, and what
    the baseline records about them."""
    import trafilatura

    import filterkit

    source_dir, seeds_dir = shared / SOURCE, shared / SEEDS
    pages = read_evaldata(source_dir)
    log(f"scoring {len(pages)} pages of {SOURCE.as_posix()} and the seeds")
    measured = {name: f.measured() for name, f in figures(pages, seeds_dir, cleaner, log).items()}
    about = {
        "about": "Floors of the quality gate (python -m filterkit.training.gate); raise them with "
                 "--update, lower them only with --allow-lower and a line in the commit message.",
        "data": {"source": SOURCE.as_posix(), "pages": len(pages), "sample": "all pages of evaldata.json",
                 "seeds": SEEDS.as_posix(), "digest": data_digest(source_dir, pages, seeds_dir)},
        "random_seed": RANDOM_SEED,
        "margin": f"{MARGIN_SDS:g} x the standard deviation of the figure over {RESAMPLES} bootstrap "
                  "resamples of its pages (seed files for the seeds); a figure fails under floor - margin",
        "measured": {"date": datetime.date.today().isoformat(), "filterkit": filterkit.__version__,
                     "trafilatura": trafilatura.__version__,
                     "text model": cleaner.model.card["sha256"][:16],
                     "html model": cleaner.html_model.card["sha256"][:16]},
    }
    return measured, about


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m filterkit.training.gate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared data (default ../shared)")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help=f"the floors (default {BASELINE})")
    parser.add_argument("--update", action="store_true", help="pin the figures measured now as the floors")
    parser.add_argument("--allow-lower", action="store_true", help="with --update: accept lowering a floor")
    parser.add_argument("--threshold", type=float, help="clean at this threshold instead of the shipped operating points")
    args = parser.parse_args(argv)
    if args.allow_lower and not args.update:
        parser.error("--allow-lower goes with --update")
    if args.update and args.threshold is not None:
        parser.error("the floors are the shipped operating points': --update takes no --threshold")
    if not (args.shared / SOURCE / "evaldata.json").is_file() or not (args.shared / SEEDS / "labels.jsonl").is_file():
        print(f"gate: {args.shared} has no {SOURCE}/evaldata.json or {SEEDS}/labels.jsonl", file=sys.stderr)
        return 2
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline.is_file() else {}
    if not baseline and not args.update:
        print(f"gate: no baseline at {args.baseline}: create it with --update", file=sys.stderr)
        return 2

    started = time.perf_counter()
    if not args.update:  # floors measured on other data say nothing: stop before measuring
        pinned = baseline.get("data", {}).get("digest")
        source_dir = args.shared / SOURCE
        digest = data_digest(source_dir, read_evaldata(source_dir), args.shared / SEEDS)
        if digest != pinned:
            print(f"gate: FAIL: the data's digest {digest[:16]} is not the pinned {str(pinned)[:16]}: the floors "
                  "were measured on other data; re-measure them with --update")
            return 1
    import filterkit

    cleaner = filterkit.Filter(threshold=args.threshold)
    tuned = [kind for kind, model in (("text", cleaner.model), ("html", cleaner.html_model))
             if trained_on_source(model.card)]
    if tuned:
        print(f"gate: FAIL: the {' and '.join(tuned)} model's card names {SOURCE.as_posix()} in its training "
              "data: the gate measures on data the models were not tuned on; give it another source")
        return 1
    print(f"operating point: {'the model cards' if args.threshold is None else f'threshold {args.threshold}'}")
    measured, about = measure(args.shared, cleaner)
    results = verdicts(measured, baseline or new_baseline(measured, about))
    print(report(results))
    print(f"margin: {about['margin']}")
    was, now = (record.get("measured", {}).get("trafilatura") for record in (baseline, about))
    if was and was != now:
        print(f"note: the floors were measured with trafilatura {was}, this run has {now} "
              "(the text rendering and the peer's figures come from it)")
    seconds = time.perf_counter() - started
    if args.update:
        return update(measured, baseline, about, args.baseline, args.allow_lower)
    failed = [v.name for v in results if not v.passed]
    print(f"gate: {'FAIL: ' + ', '.join(failed) if failed else 'PASS'} ({seconds:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
