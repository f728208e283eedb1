"""``python -m regiorapportage_pandas --input DIR --output DIR --quarter 2019Q2`` (the quarterly
publications) or ``--jaar 2019`` (the Landelijke monitor, LM)."""

from __future__ import annotations

import argparse
import json
import sys

from . import run, run_monitor
from .common import MissingClassification
from .monitor import MonitorInconsistent, MonitorRefused
from .io import StructuralError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="regiorapportage_pandas", description=__doc__)
    parser.add_argument("--input", required=True, help="input folder (CONTRACT.md)")
    parser.add_argument("--output", required=True, help="output folder; files go to OUTPUT/<quarter>/ or OUTPUT/<jaar>/")
    period = parser.add_mutually_exclusive_group(required=True)
    period.add_argument("--quarter", help="reporting quarter, e.g. 2019Q2")
    period.add_argument("--jaar", help="year of the Landelijke monitor (LM), e.g. 2019")
    parser.add_argument("--categorie-voorrang", default=None, help="BA-7 precedence table (rang,grondslag,categorie)")
    args = parser.parse_args(argv)
    timings: dict = {}
    try:
        if args.jaar is not None:
            if not args.jaar.strip().isdigit() or len(args.jaar.strip()) != 4:
                parser.error(f"--jaar must be a year like 2019, not {args.jaar!r}")
            out = run_monitor(args.input, args.output, int(args.jaar), timings=timings)
        else:
            out = run(args.input, args.output, args.quarter, timings=timings, precedence=args.categorie_voorrang)
    except StructuralError as e:  # DQ-2: nothing written (exit code as the pipeline's)
        print(f"regiorapportage_pandas: {e}", file=sys.stderr)
        return 3
    except (MissingClassification, MonitorRefused) as e:  # R-8, LM-4, LM-5: refused, nothing written
        print(f"regiorapportage_pandas: {e}", file=sys.stderr)
        return 4
    except MonitorInconsistent as e:  # LM-8: a bug, nothing written (the pipeline's ConsistencyError)
        print(f"regiorapportage_pandas: {e}", file=sys.stderr)
        return 5
    print(json.dumps({"output": str(out), "seconds": {k: round(v, 3) for k, v in timings.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
