#!/usr/bin/env python3
"""Corpus for tools/bench_serve.sh: histories of ONE provider, split by who sends them.

`istd serve` takes a message on POST /v1/messages only from its Afzender (the client
certificate's CN), and one certificate is one party. So the load client, holding one provider
certificate, needs messages that all come from one AGB code. This reuses gen_corpus.py's
history kind (301 -> 305 -> 307 (pause) -> 305 -> maybe 307, consistent per allocation), with
the world's ~50 providers replaced by one (AGB --agb, contracted by every gemeente of
gen_corpus.py), and writes:

  OUT/preload/NNNNNN-WMO301-<gemeente>-<id>.xml   the gemeenten's 301s (to `istd ingest`
                                                   --side gemeente before the load: the
                                                   ledger's own allocations)
  OUT/post/NNNNNN-WMO30x-<agb>-<id>.xml           the provider's 305/307s (to POST them)

Sorted file order is Dagtekening order, as in gen_corpus.py. Deterministic (fixed seed).

Usage: gen_serve_corpus.py --out DIR [--messages N] [--agb 65656055] [--seed S]
       (N = messages in all, 301s included: about one in 4.5 is a 301)
"""
import argparse
import os
import random
import sys
from pathlib import Path
from types import SimpleNamespace

sys.dont_write_bytecode = True  # no __pycache__ in tools/
sys.path.insert(0, str(Path(__file__).parent))
import gen_corpus as gc  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--messages", type=int, default=20000)
    ap.add_argument("--agb", default="65656055")
    ap.add_argument("--seed", type=int, default=20250101)
    args = ap.parse_args()
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        sys.exit(f"gen_serve_corpus: {out} is not empty")
    tmp = out / "all"
    tmp.mkdir(parents=True)

    base = gc.World

    class OneProvider(base):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self.providers = [(args.agb, list(gc.GEMEENTEN))]

    gc.World = OneProvider
    ns = SimpleNamespace(messages=args.messages, standard="wmo", requests=False, out=str(tmp))
    counts, nbytes, _ = gc.gen_history(ns, random.Random(args.seed))
    gc.World = base
    (out / "preload").mkdir()
    (out / "post").mkdir()
    n_pre = n_post = 0
    for f in sorted(tmp.iterdir()):
        sender = f.name.split("-")[2]
        if sender == args.agb:
            f.rename(out / "post" / f.name)
            n_post += 1
        else:
            f.rename(out / "preload" / f.name)
            n_pre += 1
    tmp.rmdir()
    print(f"gen_serve_corpus: agb={args.agb} messages={sum(counts.values())} "
          f"{' '.join(f'{k}={v}' for k, v in counts.items())} bytes={nbytes} "
          f"preload={n_pre} post={n_post} out={out}")


if __name__ == "__main__":
    main()
