"""``python -m helpers.demo [--seed N]``: regenerate data/raw/{surveys,journals,events} and tests/fixtures/raw."""

from __future__ import annotations

import argparse

from helpers import paths
from helpers.demo.generate import SEED, generate_demo, generate_fixture


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--no-fixture", action="store_true", help="only data/raw")
    args = ap.parse_args()
    files = generate_demo(seed=args.seed)
    if not args.no_fixture:
        files += generate_fixture(seed=args.seed)
    for f in sorted(files):
        print(paths.relative_to_root(f))


if __name__ == "__main__":
    main()
