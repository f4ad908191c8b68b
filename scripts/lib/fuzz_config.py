#!/usr/bin/env python3
"""Writes schemathesis.toml for ./scripts/fuzz: values that exist in the running stack for the
parameters and body fields that name things — an SPK, an order, a BOM, a material, a carton, an
approval request, a user who can sign in — so an operation is tried on real things and not only on
random text that is always a 404 or a 422. It makes what it needs through the API (an entry to void,
a request to decide, a DRAFT BOM to change, a carton to scan) as the demo users; anything it cannot
find or make leaves that operation to random values.

  fuzz_config.py --api URL --login USER:PASSWORD... --out FILE
"""
import argparse, datetime, json, sys, urllib.request


class API:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def call(self, method, path, token=None, body=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return json.load(response).get("data")
        except Exception as error:  # a thing we cannot find or make only means random values for it
            print(f"fuzz config: {method} {path}: {error}", file=sys.stderr)
            return None


def first(items, key, where=lambda item: True):
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and where(item) and item.get(key):
            return item[key]
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--login", action="append", default=[], help="USER:PASSWORD of a demo user")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    api = API(args.api)
    passwords = dict(entry.split(":", 1) for entry in args.login)
    tokens = {}
    refresh = None
    for user, password in passwords.items():
        answer = api.call("POST", "/api/v1/auth/login", body={"username": user, "password": password}) or {}
        tokens[user] = answer.get("access_token")
        refresh = refresh or answer.get("refresh_token")
    admin = tokens.get("admin")
    manager = tokens.get("prod_manager") or admin
    today = datetime.date.today().isoformat()

    spks = api.call("GET", "/api/v1/production/spks?per_page=100", admin) or []
    open_states = ("NOT_STARTED", "IN_PROGRESS")
    standalone = [spk for spk in spks if isinstance(spk, dict) and not spk.get("order_code") and spk.get("status") in open_states
                  and spk.get("start_date", today) <= today]
    reader = standalone[0]["code"] if standalone else None
    changer = standalone[-1]["code"] if len(standalone) > 1 else None
    packing = first(spks, "code", lambda spk: spk.get("stage") == "PACKING" and spk.get("status") in open_states)
    packing_article = first(spks, "article_code", lambda spk: spk.get("code") == packing)
    orders = api.call("GET", "/api/v1/production/orders?per_page=5", admin) or []
    order = first(orders, "code")
    materials = api.call("GET", "/api/v1/master/materials?per_page=5", admin) or []
    material = first(materials, "code")
    articles = api.call("GET", "/api/v1/master/articles?per_page=5", admin) or []
    article = first(articles, "code")
    boms = api.call("GET", "/api/v1/bom/list?per_page=5&status=ACTIVE", admin) or []
    bom = first(boms, "code")
    draft = (api.call("POST", f"/api/v1/bom/{bom}/new-version", admin) or {}).get("code") if bom else None
    locations = api.call("GET", "/api/v1/inventory/locations?per_page=50", admin) or []
    raw = first(locations, "code", lambda location: location.get("type") == "RAW_MATERIAL")

    entry = request = None
    if reader:
        entry = (api.call("POST", f"/api/v1/production/spk/{reader}/daily-input", manager,
                          {"date": today, "qty": 1, "notes": "fuzz: an entry to void"}) or {}).get("entry_id")
        spk = next(spk for spk in standalone if spk["code"] == reader)
        request = (api.call("POST", f"/api/v1/production/spk/{reader}/request-modification", manager,
                            {"new_qty": spk["target_qty"] + 10, "reason": "fuzz: a request to decide"}) or {}).get("id")
    carton = None
    if packing and packing_article:
        carton = (api.call("POST", "/api/v1/warehouse/cartons", manager, {"spk": packing, "article_code": packing_article, "qty": 1})
                  or {}).get("id")

    operations = {
        "/api/v1/auth/login": {"body.username": "admin", "body.password": passwords.get("admin")},
        "/api/v1/auth/refresh": {"body.refresh_token": refresh},
        "/api/v1/users": {"body.password": "fuzz-password-123", "body.roles": ["PPIC_STAFF"]},
        "/api/v1/production/spks/{id}": {"path.id": reader},
        "/api/v1/production/spk/{id}/daily-input": {"path.id": reader},
        "/api/v1/production/spk/{id}/progress": {"path.id": reader},
        "/api/v1/production/spk/{id}/hold": {"path.id": changer},
        "/api/v1/production/spk/{id}/resume": {"path.id": changer},
        "/api/v1/production/spk/{id}/cancel": {"path.id": changer},
        "/api/v1/production/spk/{id}/close": {"path.id": changer},
        "/api/v1/production/spk/{id}/request-modification": {"path.id": reader},
        "/api/v1/production/spk/{id}/modify-qty": {"path.id": reader},
        "/api/v1/production/daily-input/{entry_id}/void": {"path.entry_id": entry},
        "/api/v1/production/orders/{id}": {"path.id": order},
        "/api/v1/production/material-debt/request": {"body.spk_id": reader, "body.material_code": material},
        "/api/v1/production/approvals/{id}/approve": {"path.id": request},
        "/api/v1/production/approvals/{id}/cancel": {"path.id": request},
        "/api/v1/approvals/{id}": {"path.id": request},
        "/api/v1/bom/create": {"body.article_code": article, "body.lines": [{"material_code": material, "qty_per_unit": 1}]},
        "/api/v1/bom/requirements": {"query.order": order},
        "/api/v1/bom/{id}": {"path.id": draft, "body.lines": [{"material_code": material, "qty_per_unit": 1}]},
        "/api/v1/bom/{id}/new-version": {"path.id": bom},
        "/api/v1/bom/{id}/activate": {"path.id": draft},
        "/api/v1/master/materials/{code}": {"path.code": material},
        "/api/v1/master/materials/{code}/cost": {"path.code": material},
        "/api/v1/master/articles/{code}": {"path.code": article},
        "/api/v1/costing/articles/{code}": {"path.code": article},
        "/api/v1/costing/orders/{code}": {"path.code": order},
        "/api/v1/inventory/movements": {"body.item_code": material, "body.to_location": raw},
        "/api/v1/inventory/issues": {"body.order": order},
        "/api/v1/inventory/returns": {"body.order": order},
        "/api/v1/warehouse/cartons": {"body.spk": packing, "body.article_code": packing_article},
        "/api/v1/warehouse/cartons/{id}": {"path.id": carton},
        "/api/v1/warehouse/finishgood/receive": {"body.carton_id": carton},
        "/api/v1/warehouse/finishgood/verify": {"body.carton_id": carton, "body.article": packing_article},
        "/api/v1/warehouse/finishgood/confirm": {"body.carton_id": carton},
    }
    lines, count = [], 0
    for path, parameters in operations.items():
        known = {name: value for name, value in parameters.items() if value}
        if not known:
            continue
        count += 1
        pairs = ", ".join(f'"{name}" = {toml(value)}' for name, value in known.items())
        lines += ["[[operations]]", f"include-path = {json.dumps(path)}", f"parameters = {{ {pairs} }}", ""]
    with open(args.out, "w") as stream:
        stream.write("# Written by scripts/lib/fuzz_config.py for one fuzz run: values that exist in the stack.\n\n")
        stream.write("\n".join(lines))
    print(f"fuzz config: real values for {count} operations", file=sys.stderr)


def toml(value):
    """A value as TOML writes it inline (strings, numbers, lists and tables of them)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml(item)}" for key, item in value.items()) + " }"
    raise TypeError(value)


if __name__ == "__main__":
    main()
