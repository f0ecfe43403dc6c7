"""`filterkit train`: a model trained on a labelled corpus, saved with its model card."""
from __future__ import annotations

from pathlib import Path

from .common import EXIT_OK, check_output, labelled_corpus, say, warn


def run(args) -> int:
    check_output(args.output, [args.corpus])
    documents = labelled_corpus(args)  # first: a missing corpus is reported before training is imported
    from ..training.corpus import ALL_RENDERINGS
    from ..training.train import train, wcxb_credit

    if not args.wcxb and all(d.rendering in ALL_RENDERINGS and d.reference for d in documents):
        warn("this corpus looks built from WCXB by `filterkit corpus build`; if so, pass --wcxb "
             "so that the model card credits it (CC-BY-4.0)")
    card = train(documents, args.output, kind=args.kind, folds=args.folds,
                 corpus_name=Path(args.corpus).name, training_data=wcxb_credit(documents) if args.wcxb else None,
                 augment=args.augment, scores_path=args.save_scores, log=say)
    say(f"saved {args.output} (threshold {card['threshold']:.2f}) and its model card "
        f"{Path(args.output).with_suffix('.json')}")
    return EXIT_OK
