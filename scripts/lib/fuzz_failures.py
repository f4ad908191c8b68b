#!/usr/bin/env python3
"""Reads schemathesis's ndjson reports of one fuzz run (`--checks all`) and fails on every check failure
— ST1xx (responses), ST2xx (request handling), ST3xx (stateful), ST4xx (auth) — except the ones listed
in ACCEPTED below, each with its reason. Prints the failures by code and operation.

  fuzz_failures.py REPORT.ndjson...   (exit 1 when any failure is not accepted)
"""
import sys
from collections import defaultdict

from fuzz_reports import events

# "Schema-valid request rejected" (ST202) for operations whose valid requests depend on data the
# generator cannot know: a request that follows the document to the letter is still refused by a
# business rule about the stored state. Each names the operation and the reason.
ACCEPTED = {
    ("ST202", "POST /api/v1/auth/login"): "needs a real user name and its password",
    ("ST202", "POST /api/v1/auth/refresh"): "needs a refresh token that was issued and not used yet",
    ("ST202", "POST /api/v1/auth/logout"): "needs a refresh token that was issued",
}


def failures(node):
    if isinstance(node, dict):
        code = node.get("code")
        if isinstance(code, str) and code.startswith("ST") and "operation" in node and "message" in node:
            yield node
        for value in node.values():
            yield from failures(value)
    elif isinstance(node, list):
        for value in node:
            yield from failures(value)


def main():
    found = defaultdict(set)  # (code, operation) -> first lines of messages
    titles = {}
    for event in events(sys.argv[1:]):
        for failure in failures(event):
            key = (failure["code"], failure.get("operation") or "?")
            message = (failure.get("message") or "").strip()
            found[key].add(message.splitlines()[0][:200] if message else "")
            titles[failure["code"]] = failure.get("title") or ""
    by_code = defaultdict(int)
    refused = []
    for key in sorted(found):
        by_code[key[0]] += 1
        if key not in ACCEPTED:
            refused.append(key)
    accepted = [key for key in found if key in ACCEPTED]
    print(f"fuzz checks: {len(found)} failing operation/check pairs, {len(accepted)} accepted (listed with a reason), "
          f"{len(refused)} not accepted; by code: "
          + (", ".join(f"{code} {count}" for code, count in sorted(by_code.items())) or "none"))
    for code, operation in refused:
        print(f"  {code} {titles.get(code, '')}: {operation}")
        for message in sorted(found[(code, operation)])[:3]:
            if message:
                print(f"      {message}")
    sys.exit(1 if refused else 0)


if __name__ == "__main__":
    main()
