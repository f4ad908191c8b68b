#!/usr/bin/env python3
"""Writes schemathesis.toml for ./scripts/fuzz: each path parameter of /openapi.json gets a value
that exists in the running stack (an SPK code, an order, a BOM, a material, ...), so an operation on
`/spks/{id}` is tried on a real SPK and not only on random text that is always a 404. Values come
from the API itself, signed in as admin; an operation whose thing cannot be found keeps random ids.

  fuzz_config.py --api URL --token TOKEN --out FILE
"""
import argparse, json, sys, urllib.request


def get(api, token, path):
    request = urllib.request.Request(api + path, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.load(response).get("data")
    except Exception as error:  # a missing thing only means random ids for that operation
        print(f"fuzz config: GET {path}: {error}", file=sys.stderr)
        return None


def post(api, token, path, body):
    request = urllib.request.Request(api + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.load(response).get("data")
    except Exception as error:
        print(f"fuzz config: POST {path}: {error}", file=sys.stderr)
        return None


def first(items, key):
    return items[0].get(key) if isinstance(items, list) and items and isinstance(items[0], dict) else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    api, token = args.api.rstrip("/"), args.token

    spks = get(api, token, "/api/v1/production/spks?per_page=50") or []
    orders = get(api, token, "/api/v1/production/orders?per_page=5") or []
    boms = get(api, token, "/api/v1/bom/list?per_page=5") or []
    materials = get(api, token, "/api/v1/master/materials?per_page=5") or []
    articles = get(api, token, "/api/v1/master/articles?per_page=5") or []
    # Different SPKs for what changes one (hold, cancel, close) and what reads or adds to one.
    codes = [spk.get("code") for spk in spks if isinstance(spk, dict) and spk.get("status") not in ("CANCELLED", "CLOSED", "COMPLETED")]
    reader = codes[0] if codes else None
    changer = codes[-1] if len(codes) > 1 else reader
    entry = None
    if reader:  # an entry of our own to void
        import datetime
        recorded = post(api, token, f"/api/v1/production/spk/{reader}/daily-input",
                        {"date": datetime.date.today().isoformat(), "qty": 1, "notes": "fuzz: an entry to void"}) or {}
        entry = recorded.get("entry_id") if isinstance(recorded, dict) else None

    values = {
        "/api/v1/production/spks/{id}": {"id": reader},
        "/api/v1/production/spk/{id}/daily-input": {"id": reader},
        "/api/v1/production/spk/{id}/progress": {"id": reader},
        "/api/v1/production/spk/{id}/hold": {"id": changer},
        "/api/v1/production/spk/{id}/resume": {"id": changer},
        "/api/v1/production/spk/{id}/cancel": {"id": changer},
        "/api/v1/production/spk/{id}/close": {"id": changer},
        "/api/v1/production/spk/{id}/request-modification": {"id": reader},
        "/api/v1/production/spk/{id}/modify-qty": {"id": reader},
        "/api/v1/production/daily-input/{entry_id}/void": {"entry_id": entry},
        "/api/v1/production/orders/{id}": {"id": first(orders, "code")},
        "/api/v1/bom/{id}": {"id": first(boms, "code")},
        "/api/v1/bom/{id}/new-version": {"id": first(boms, "code")},
        "/api/v1/bom/{id}/activate": {"id": first(boms, "code")},
        "/api/v1/master/materials/{code}": {"code": first(materials, "code")},
        "/api/v1/master/materials/{code}/cost": {"code": first(materials, "code")},
        "/api/v1/master/articles/{code}": {"code": first(articles, "code")},
        "/api/v1/costing/articles/{code}": {"code": first(articles, "code")},
        "/api/v1/costing/orders/{code}": {"code": first(orders, "code")},
    }
    lines = []
    for path, parameters in values.items():
        known = {name: value for name, value in parameters.items() if value}
        if not known:
            continue
        pairs = ", ".join(f'"path.{name}" = {json.dumps(str(value))}' for name, value in known.items())
        lines += ["[[operations]]", f"include-path = {json.dumps(path)}", f"parameters = {{ {pairs} }}", ""]
    with open(args.out, "w") as stream:
        stream.write("# Written by scripts/lib/fuzz_config.py for one fuzz run: real ids for path parameters.\n\n")
        stream.write("\n".join(lines))
    print(f"fuzz config: real values for {len(lines) // 4} operations' path parameters", file=sys.stderr)


if __name__ == "__main__":
    main()
