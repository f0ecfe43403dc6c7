"""`filterkit evaluate`: body/junk accuracy on a labelled corpus, by cross-validation or of
an existing model, optionally beside trafilatura's."""
from __future__ import annotations

import json

from ..scale.files import STDIN
from .common import EXIT_OK, UsageError, check_output, labelled_corpus, say, warn
from .documents import output


def run(args) -> int:
    with_model = args.model is not None or args.shipped_model
    if args.model is not None and args.shipped_model:
        raise UsageError("give either --model or --shipped-model, not both")
    if with_model and (args.kind or args.folds):
        raise UsageError("--kind and --folds set up cross-validation; they do not apply to --model/--shipped-model")
    check_output(args.json, [args.corpus], "--json")
    documents = labelled_corpus(args)  # first: a missing corpus is reported before training is imported
    from ..training.peers import comparison_table
    from ..training.train import compare_with_peers, cross_validate, evaluate_model

    if with_model:
        report = evaluate_model(documents, args.model, trusted=args.trust_model, threshold=args.threshold)
    else:
        report = cross_validate(documents, kind=args.kind or "gbt", folds=args.folds or 5,
                                threshold=args.threshold, augment=args.augment, log=warn)
    if args.save_scores:
        report.save_scores(documents, args.save_scores)
    result = report.to_json()
    if args.json != STDIN:
        say(report.to_text())
    if args.compare_trafilatura:
        peers = compare_with_peers(documents, report, args.compare_trafilatura, log=warn)
        result["peers"] = {name: {t: s.__dict__ for t, s in by_type.items()} for name, by_type in peers.items()}
        if args.json != STDIN:
            say(comparison_table(peers))
    if args.json:
        with output(args.json) as out:
            out.write(json.dumps(result, indent=2) + "\n")
    return EXIT_OK
