#!/usr/bin/env python3
"""The "large but legal" pass of ./scripts/fuzz: data at the documented maxima, in bulk, then every
GET operation read as every demo role.

Random fuzzing finds what one bad value does; it seldom makes hundreds of good ones. This pass does:
it reads the maxima from /openapi.json itself (an SPK's and an order's quantity, a daily entry's good
and rejected qty, a movement's qty, the longest free text) and makes, through the API:
  * --spks SPKs at the maximum quantity (their targets sum far past 32 bits), each with notes at the
    maximum length;
  * one SPK given 2,500 entries of the maximum rejects through the phone's batch (its rejects pass 32 bits),
    and a few SPKs given good output at the maximum per entry up to their limit;
  * --orders orders at the maximum quantity over every stage of the route;
  * --movements material receipts at the maximum quantity.
Every one of those requests is legal, so each must succeed. Then every GET operation of the document
(path parameters set to what was made, paging at its maximum per_page) as every demo user: no answer
may be >= 500, and none may be 400 or 422 — the requests carry no invalid input, so such an answer
blames the caller for our data. 401/403/404 are fine (a role may not read it; a user's own list).
Prints one line per failure and a summary; exit 1 on any failure. Loopback only; stdlib only.

  fuzz_large.py --api URL [--spks 250] [--orders 20] [--movements 40]
"""
import argparse
import datetime
import json
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from fuzz_config import API  # the same client (scripts/lib is on the path: this script lives there)

DEMO_USERS = [("admin", "admin-dev-123"), ("manager", "manager-dev-123"), ("ppic", "ppic-dev-123"),
              ("prod_manager", "prodmgr-dev-123"), ("finance", "finance-dev-123"), ("wh_manager", "whmgr-dev-123"),
              ("qc", "qc-dev-123"), ("spv_sewing", "spv-dev-123"), ("staff_sewing", "staff-dev-123"),
              ("staff_cutting", "staff-dev-123")]


class Document:
    """The maxima the document states, read where they are (so the pass follows the document)."""

    def __init__(self, document):
        self.document = document

    def resolve(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self.document["components"]["schemas"][schema["$ref"].split("/")[-1]]
        return schema

    def body(self, method, path):
        operation = self.document["paths"][path][method]
        return self.resolve(operation["requestBody"]["content"]["application/json"]["schema"])

    def field(self, method, path, *steps):
        schema = self.body(method, path)
        for step in steps:
            schema = self.resolve(schema["items"] if step == "[]" else schema["properties"][step])
        return schema


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--spks", type=int, default=250)
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--movements", type=int, default=40)
    parser.add_argument("--max-failures", type=int, default=20)
    args = parser.parse_args()
    assert args.api.startswith("http://127.0.0.1:"), "the pass writes: loopback only"
    api = API(args.api)
    started = time.monotonic()
    status, document = api.request("GET", "/openapi.json")
    assert status == 200, f"no document: {status}"
    doc = Document(document)
    tokens = {}
    for user, password in DEMO_USERS:
        status, reply = api.request("POST", "/api/v1/auth/login", body={"username": user, "password": password})
        if status == 200:
            tokens[user] = reply["data"]["access_token"]
        else:
            print(f"fuzz large: cannot sign in as {user}: {status}", file=sys.stderr)
    admin, staff = tokens["admin"], tokens.get("staff_sewing")
    failures = []

    def must(what, status, reply, ok=(200, 201)):
        if status not in ok:
            failures.append(f"making {what}: {status} {json.dumps(reply)[:300]}")
            return None
        return (reply or {}).get("data")

    spk_qty = int(doc.field("post", "/api/v1/production/spks", "original_qty")["maximum"])
    notes_len = int(doc.field("post", "/api/v1/production/spks", "notes")["maxLength"])
    order_qty = int(doc.field("post", "/api/v1/production/orders", "qty")["maximum"])
    stages = doc.field("post", "/api/v1/production/orders", "stages", "[]")["enum"]
    entry_qty = int(doc.field("post", "/api/v1/production/spk/{id}/daily-input", "qty")["maximum"])
    reject_qty = int(doc.field("post", "/api/v1/production/spk/{id}/daily-input", "reject_qty")["maximum"])
    batch_max = int(doc.field("post", "/api/v1/production/mobile/daily-input", "entries").get("maxItems", 500))
    move_qty = doc.field("post", "/api/v1/inventory/movements", "qty")["maximum"]
    today = datetime.date.today()
    day = lambda offset: (today + datetime.timedelta(days=offset)).isoformat()
    long_notes = ("large but legal " * (notes_len // 16 + 1))[:notes_len]

    # The articles they are for (Production takes work only for articles BOMFinance knows; 409: made before).
    for index in range(7):
        must(f"article LARGE-{index}", *api.request("POST", "/api/v1/master/articles", admin,
                                                    {"code": f"LARGE-{index}", "name": f"Large but legal {index}"}), ok=(201, 409))

    # SPKs at the maximum quantity, in parallel (the gateway takes several at once).
    def new_spk(index):
        status, reply = api.request("POST", "/api/v1/production/spks", admin, {
            "article_code": f"LARGE-{index % 7}", "stage": "SEWING", "department": "SEWING", "original_qty": spk_qty,
            "start_date": day(-2), "due_date": day(30 + index % 60), "notes": long_notes})
        return must(f"SPK {index} at {spk_qty}", status, reply)
    with ThreadPoolExecutor(max_workers=4) as pool:
        spks = [spk for spk in pool.map(new_spk, range(args.spks)) if spk]
    # One SPK's rejects past 32 bits, by the phone's batch; good output at the maximum per entry on a few.
    entries_made = 0
    if spks and staff:
        target = spks[0]
        for batch in range(5):
            entries = [{"client_entry_id": f"large-{target['id']}-{batch}-{n}", "spk_id": target["id"], "date": day(0),
                        "qty": 0, "reject_qty": reject_qty, "notes": long_notes[:200]} for n in range(batch_max)]
            data = must(f"a batch of {batch_max} entries of {reject_qty} rejects", *api.request(
                "POST", "/api/v1/production/mobile/daily-input", staff, {"entries": entries}, timeout=120))
            refused = [item for item in (data or []) if item.get("status") != "recorded"]
            if refused:
                failures.append(f"entries of {reject_qty} rejects refused: {json.dumps(refused[0])[:300]}")
            entries_made += len(data or [])
        for spk in spks[1:6]:
            for _ in range(spk_qty // entry_qty):
                must(f"{entry_qty} good on {spk['code']}", *api.request("POST", f"/api/v1/production/spk/{spk['id']}/daily-input", staff,
                                                                   {"date": day(0), "qty": entry_qty, "reject_qty": reject_qty,
                                                                    "notes": long_notes}))
                entries_made += 1
    # Orders at the maximum quantity over every stage.
    orders = []
    for index in range(args.orders):
        data = must(f"order {index} at {order_qty}", *api.request("POST", "/api/v1/production/orders", admin, {
            "article_code": "BEAR-30CM", "qty": order_qty, "start_date": day(-1), "due_date": day(60), "stages": stages,
            "notes": long_notes}))
        if data:
            orders.append(data)
    # Receipts at the maximum quantity.
    _, materials = api.request("GET", "/api/v1/master/materials?per_page=5", admin)
    _, locations = api.request("GET", "/api/v1/inventory/locations?per_page=100", admin)
    material = next((m["code"] for m in (materials or {}).get("data") or [] if m.get("category") != "LABEL"), None)
    raw = next((l["code"] for l in (locations or {}).get("data") or [] if l.get("type") == "RAW_MATERIAL"), None)
    if material and raw:
        for index in range(args.movements):
            must(f"receipt {index} of {move_qty}", *api.request("POST", "/api/v1/inventory/movements", admin, {
                "type": "RECEIPT", "item_code": material, "qty": move_qty, "to_location": raw, "reference": f"large {index}"}))
    made = time.monotonic() - started
    print(f"fuzz large: made {len(spks)} SPKs of {spk_qty}, {entries_made} entries (rejects {reject_qty}, good {entry_qty}), "
          f"{len(orders)} orders of {order_qty} over {len(stages)} stages, {args.movements if material and raw else 0} receipts "
          f"of {move_qty}, notes of {notes_len} characters, in {made:.0f} s")
    time.sleep(3)  # let the readers (PPIC, Quality, BOMFinance) take the events in

    # Values for path and query parameters: what was just made, else the first of a list.
    def first(path, key="code"):
        _, reply = api.request("GET", path, admin)
        items = (reply or {}).get("data") if isinstance(reply, dict) else None
        items = items if isinstance(items, list) else []
        return next((item.get(key) or item.get("id") for item in items if isinstance(item, dict)), None)
    heavy_spk = spks[0]["code"] if spks else first("/api/v1/production/spks")
    heavy_order = orders[0]["code"] if orders else first("/api/v1/production/orders")
    values = {
        "/api/v1/production/spks/{id}": heavy_spk,
        "/api/v1/production/spk/{id}/progress": heavy_spk,
        "/api/v1/production/orders/{id}": heavy_order,
        "/api/v1/costing/orders/{code}": heavy_order,
        "/api/v1/master/materials/{code}": material or first("/api/v1/master/materials"),
        "/api/v1/master/articles/{code}": first("/api/v1/master/articles"),
        "/api/v1/costing/articles/{code}": first("/api/v1/master/articles"),
        "/api/v1/bom/{id}": first("/api/v1/bom/list"),
        "/api/v1/approvals/{id}": first("/api/v1/production/material-debt", "id"),
        "/api/v1/quality/ncrs/{code}": first("/api/v1/quality/ncrs"),
    }
    query_values = {"order": heavy_order, "per_page": 500}

    requests = []  # (template, url)
    skipped = []
    for path, operations in sorted(document["paths"].items()):
        operation = operations.get("get")
        if not operation or not path.startswith("/api/") or path.endswith("/stream"):
            continue
        parameters = operation.get("parameters", [])
        filled = path
        for parameter in (p for p in parameters if p["in"] == "path"):
            value = values.get(path)
            if not value:
                break
            filled = filled.replace("{" + parameter["name"] + "}", urllib.parse.quote(str(value), safe=""))
        if "{" in filled:
            skipped.append(path)
            continue
        query = {}
        for parameter in (p for p in parameters if p["in"] == "query"):
            name = parameter["name"]
            if name in query_values:
                query[name] = query_values[name]
            elif parameter.get("required"):
                skipped.append(path)
                break
        else:
            requests.append((path, filled + ("?" + urllib.parse.urlencode(query) if query else "")))
    sent = 0
    for user, token in tokens.items():
        for template, url in requests:
            if len(failures) >= args.max_failures:
                break
            status, reply = api.request("GET", url, token)
            sent += 1
            if status >= 500 or status == 0 or status in (400, 422):
                failures.append(f"{user}: GET {url[:90]} -> {status or 'no answer'}: {json.dumps(reply)[:240]}")
    for failure in failures:
        print(f"fuzz large: {failure}", flush=True)
    print(f"fuzz large: {sent} reads of {len(requests)} GET operations as {len(tokens)} demo users over the large data, "
          f"{len(failures)} failure(s)" + (f"; not read (no value for a parameter): {', '.join(skipped)}" if skipped else "")
          + f"; {time.monotonic() - started:.0f} s in all")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
