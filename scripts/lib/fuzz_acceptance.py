#!/usr/bin/env python3
"""Reads schemathesis's ndjson reports of one fuzz run: for each operation, whether any request
generated from the document was accepted (a 2xx) by any role. An operation that rejects everything
generated from its own document means the document does not say what the operation accepts.

  fuzz_acceptance.py --max-share 0.10 REPORT.ndjson...   (exit 1 when more than that share reject all)
"""
import argparse, sys

from fuzz_reports import events


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-share", type=float, default=0.10)
    parser.add_argument("reports", nargs="+")
    args = parser.parse_args()
    statuses = {}
    for line in events(args.reports):
        event = line.get("ScenarioFinished")
        if not event:
            continue
        recorder = event.get("recorder") or {}
        label = recorder.get("label")
        codes = statuses.setdefault(label, set()) if label else set()
        for interaction in (recorder.get("interactions") or {}).values():
            code = (interaction.get("response") or {}).get("status_code")
            if isinstance(code, int):
                codes.add(code)
    tried = {label: codes for label, codes in statuses.items() if codes}
    rejecting = sorted(label for label, codes in tried.items() if not any(200 <= code < 300 for code in codes))
    share = len(rejecting) / len(tried) if tried else 1.0
    print(f"fuzz: {len(tried)} operations tried, {len(rejecting)} accepted nothing generated from the document "
          f"({share:.0%}, at most {args.max_share:.0%} allowed)")
    for label in rejecting:
        print(f"  rejected everything: {label} (answers: {', '.join(map(str, sorted(tried[label])))})")
    sys.exit(0 if tried and share <= args.max_share else 1)


if __name__ == "__main__":
    main()
