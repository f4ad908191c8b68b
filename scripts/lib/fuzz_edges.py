#!/usr/bin/env python3
"""Edge probes for ./scripts/fuzz: the values a random generator seldom hits, sent on purpose.

For every GET operation of /openapi.json and each of its query and path parameters, one request
per nasty value — integers at and past the 64-bit limits, NUL and other control characters,
invalid UTF-8, very long text — and, where an operation pages, page=Int64.max with per_page=500.
Every answer must be below 500 (a 504 counts). Sequential (so the first failure is the cause of
what follows); after an operation's first failure its other probes are skipped; stops after
--max-failures failures or --max-seconds. Loopback only; stdlib only.
Prints one line per failure and a summary line; exit 1 on any failure.
"""
import argparse
import json
import time
import urllib.error
import urllib.parse
import urllib.request

INT_VALUES = ["9223372036854775807", "-9223372036854775808", "9223372036854775808", "0", "-1", "1.5", ""]
TEXT_VALUES = ["\x00", "a\x00b", "\x01\x1f\x7f", "%FF%FE", "x" * 5000, "'\"; --", "\u202e\ufeff"]
PATH_VALUES = ["\x00", "%FF", "x" * 3000, "..", "9223372036854775807"]


def quote(value):
    # %FF… stays raw (invalid UTF-8 on purpose); everything else is percent-encoded.
    return value if value.startswith("%") else urllib.parse.quote(value, safe="")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--token", action="append", required=True, help="NAME=TOKEN; repeat")
    parser.add_argument("--max-failures", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=240)
    parser.add_argument("--request-timeout", type=float, default=30)
    args = parser.parse_args()
    assert args.api.startswith("http://127.0.0.1:"), "probes go to loopback only"

    with urllib.request.urlopen(args.api + "/openapi.json", timeout=30) as response:
        document = json.load(response)
    probes = []  # (operation path, path with values, query string, description)
    for path, operations in sorted(document["paths"].items()):
        operation = operations.get("get")
        if not operation or not path.startswith("/api/"):
            continue
        parameters = operation.get("parameters", [])
        path_names = [p["name"] for p in parameters if p["in"] == "path"]
        filled = path
        for name in path_names:
            filled = filled.replace("{" + name + "}", "SPK-20000101-0001")
        for parameter in parameters:
            name, kind = parameter["name"], parameter.get("schema", {}).get("type")
            if parameter["in"] == "query":
                for value in INT_VALUES if kind == "integer" else TEXT_VALUES:
                    probes.append((path, filled, f"{name}={quote(value)}", f"{name}={value[:24]!r}"))
            elif parameter["in"] == "path":
                for value in PATH_VALUES:
                    probes.append((path, path.replace("{" + name + "}", quote(value)), "", f"{{{name}}}={value[:24]!r}"))
        names = {p["name"] for p in parameters}
        if {"page", "per_page"} <= names:
            probes.append((path, filled, "page=9223372036854775807&per_page=500", "page=Int64.max&per_page=500"))
            probes.append((path, filled, "page=184467440737095517&per_page=500", "page=2^64/100&per_page=500"))

    tokens = [t.split("=", 1) for t in args.token]
    started = time.monotonic()
    sent = failures = 0
    failed_operations = set()  # after an operation's first failure, its other probes are skipped
    for who, token in tokens:
        for template, path, query, description in probes:
            if failures >= args.max_failures or time.monotonic() - started > args.max_seconds:
                break
            if template in failed_operations:
                continue
            url = args.api + path + ("?" + query if query else "")
            request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=args.request_timeout) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
            except Exception as error:  # refused, reset, timed out: as bad as a 5xx
                status, body = 0, str(error).encode()
            sent += 1
            if status >= 500 or status == 0:
                failures += 1
                failed_operations.add(template)
                print(f"fuzz edges: {who}: GET {path[:60]} {description} -> {status or type(body).__name__} "
                      f"in {time.monotonic() - t0:.1f} s: {body[:200].decode('utf-8', 'replace')}", flush=True)
    untried = len(probes) * len(tokens) - sent
    print(f"fuzz edges: {sent} probes, {failures} >= 500"
          + (f", {untried} not sent (stopped after {failures} failures or {args.max_seconds:.0f} s)" if untried else ""))
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
