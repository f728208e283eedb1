"""``python -m regiorapportage_pandas --input DIR --output DIR --quarter 2019Q2``"""

from __future__ import annotations

import argparse
import json
import sys

from . import run
from .common import MissingClassification
from .io import StructuralError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="regiorapportage_pandas", description=__doc__)
    parser.add_argument("--input", required=True, help="input folder (CONTRACT.md)")
    parser.add_argument("--output", required=True, help="output folder; files go to OUTPUT/<quarter>/")
    parser.add_argument("--quarter", required=True, help="reporting quarter, e.g. 2019Q2")
    parser.add_argument("--categorie-voorrang", default=None, help="BA-7 precedence table (rang,grondslag,categorie)")
    args = parser.parse_args(argv)
    timings: dict = {}
    try:
        out = run(args.input, args.output, args.quarter, timings=timings, precedence=args.categorie_voorrang)
    except StructuralError as e:  # DQ-2: nothing written (exit code as the pipeline's)
        print(f"regiorapportage_pandas: {e}", file=sys.stderr)
        return 3
    except MissingClassification as e:  # refused, nothing written
        print(f"regiorapportage_pandas: {e}", file=sys.stderr)
        return 4
    print(json.dumps({"output": str(out), "seconds": {k: round(v, 3) for k, v in timings.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
