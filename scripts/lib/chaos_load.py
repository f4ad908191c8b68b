#!/usr/bin/env python3
"""Chaos load: clients posting daily input the way a phone does, for ./scripts/chaos.

Each client thread records entries one after another, each with its own client_entry_id, and
retries the SAME entry (same id, same body) on any error or timeout until the gateway
acknowledges it (2xx). A deterministic refusal (400/403/404/409/422) is recorded as refused and
not retried. New entries stop when the stop file appears; entries in flight are then retried for
at most --drain-seconds more. Everything is bounded: --max-entries per client, --max-seconds in all.
Several gateways may be given (--api A,B): each client starts at its own and moves to the next on a
connection error or a 5xx, as a phone would behind a load balancer. Loopback, or the test's own
network (--network), only; stdlib only. Writes a JSON report to --out.
"""
import argparse
import ipaddress
import json
import os
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

RETRY_STATUSES = {401, 408, 429}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True, help="http://127.0.0.1:PORT, or several, comma separated")
    parser.add_argument("--network", default="127.0.0.0/8",
                        help="the addresses the gateways may have (the test's own network)")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--spks", required=True, help="comma-separated SPK codes")
    parser.add_argument("--date", required=True, help="the entries' production date")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between a client's entries")
    parser.add_argument("--max-entries", type=int, default=4000, help="per client")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--drain-seconds", type=float, default=120)
    parser.add_argument("--request-timeout", type=float, default=15)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    apis = [api for api in args.api.split(",") if api]
    network = ipaddress.ip_network(args.network)
    for api in apis:
        host = ipaddress.ip_address(urllib.parse.urlsplit(api).hostname or "")
        assert host.is_loopback or host in network, f"the chaos load talks only to its own test network, not {api}"

    spks = [code for code in args.spks.split(",") if code]
    started = time.monotonic()
    hard_deadline = started + args.max_seconds
    lock = threading.Lock()
    report = {"acked": [], "refused": [], "unacked": [], "attempts": 0, "errors": {}}
    token = {"value": None}
    stop_seen = {"at": None}

    def stopping():
        if stop_seen["at"] is None and os.path.exists(args.stop_file):
            stop_seen["at"] = time.monotonic()
        return stop_seen["at"] is not None

    def give_up():
        now = time.monotonic()
        return now > hard_deadline or (stopping() and now > stop_seen["at"] + args.drain_seconds)

    def count_error(kind):
        with lock:
            report["errors"][kind] = report["errors"].get(kind, 0) + 1

    def request(method, path, body=None, auth=True, api=None):
        headers = {"Content-Type": "application/json"}
        if auth and token["value"]:
            headers["Authorization"] = "Bearer " + token["value"]
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request((api or apis[0]) + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=args.request_timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def login(api=None):
        status, body = request("POST", "/api/v1/auth/login",
                               {"username": args.user, "password": args.password}, auth=False, api=api)
        if status == 200:
            token["value"] = json.loads(body)["data"]["access_token"]
            return True
        return False

    def client(number):
        rng = random.Random(f"{args.run_id}-{number}")
        gateway = number % len(apis)
        for n in range(args.max_entries):
            if stopping() or time.monotonic() > hard_deadline:
                return
            entry_id = f"chaos-{args.run_id}-{number}-{n}"
            spk = spks[(number + n) % len(spks)]
            body = {"date": args.date, "qty": rng.randint(1, 5), "reject_qty": rng.randint(0, 1),
                    "client_entry_id": entry_id, "notes": f"chaos client {number}"}
            delay = 0.2
            while True:
                if give_up():
                    with lock:
                        report["unacked"].append(entry_id)
                    return
                with lock:
                    report["attempts"] += 1
                try:
                    status, answer = request("POST", f"/api/v1/production/spk/{spk}/daily-input", body,
                                             api=apis[gateway])
                except Exception as error:  # refused, reset, timed out: the same entry again
                    status, answer = None, str(error).encode()
                    count_error(type(error).__name__)
                if status is None or status >= 500:  # this gateway may be cut off: the next one
                    gateway = (gateway + 1) % len(apis)
                if status is not None and 200 <= status < 300:
                    with lock:
                        report["acked"].append([entry_id, spk, body["qty"], body["reject_qty"]])
                    break
                if status is not None:
                    count_error(str(status))
                if status == 401:
                    try:
                        login(apis[gateway])
                    except Exception:
                        pass
                elif status is not None and 400 <= status < 500 and status not in RETRY_STATUSES:
                    with lock:
                        report["refused"].append([entry_id, spk, status, answer.decode("utf-8", "replace")[:300]])
                    break
                time.sleep(delay * (0.5 + rng.random()))
                delay = min(delay * 2, 2.0)
            time.sleep(args.pause)

    attempt = 0
    while not login(apis[attempt % len(apis)]):
        attempt += 1
        if time.monotonic() > started + 60:
            raise SystemExit("chaos load: cannot sign in as " + args.user)
        time.sleep(1)
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0, hard_deadline - time.monotonic()) + 30)
    report["seconds"] = round(time.monotonic() - started, 1)
    with open(args.out, "w") as out:
        json.dump(report, out)


if __name__ == "__main__":
    main()
