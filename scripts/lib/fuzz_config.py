#!/usr/bin/env python3
"""Writes schemathesis.toml for ./scripts/fuzz: values that exist in the running stack for the
parameters and body fields that name things — an SPK, an order, a BOM, a material, a carton, an
approval request, a user who can sign in — so an operation is tried on real things and not only on
random text that is always a 404 or a 422. It makes what it needs through the API (an entry to void,
a request to decide, a DRAFT BOM to change, a carton to scan) as the demo users; anything it cannot
find or make leaves that operation to random values.

  fuzz_config.py --api URL --login USER:PASSWORD... --out FILE
"""
import argparse, datetime, json, sys, time, urllib.error, urllib.request


class API:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def call(self, method, path, token=None, body=None):
        status, reply = self.request(method, path, token, body, timeout=20)
        if status in (200, 201) and isinstance(reply, dict):
            return reply.get("data")
        # a thing we cannot find or make only means random values for it
        print(f"fuzz config: {method} {path}: {status} {json.dumps(reply)[:200]}", file=sys.stderr)
        return None

    def request(self, method, path, token=None, body=None, timeout=60):
        """(status, parsed body) of one request; status 0 when nothing answered (refused, reset, timed out)."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw or b"null")
            except ValueError:
                return error.code, {"raw": raw[:200].decode("utf-8", "replace")}
        except Exception as error:
            return 0, {"raw": str(error)}


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
    for user, password in passwords.items():
        tokens[user] = (api.call("POST", "/api/v1/auth/login", body={"username": user, "password": password}) or {}).get("access_token")
    admin = tokens.get("admin")
    manager = tokens.get("prod_manager") or admin
    # A refresh token of a user no fuzzed role signs out (a body-less logout ends all of one's sessions).
    refresh = (api.call("POST", "/api/v1/auth/login", body={"username": "finance", "password": "finance-dev-123"}) or {}).get("refresh_token")
    today = datetime.date.today().isoformat()

    # SPKs of our own, stand-alone SEWING ones (every fuzzed role reaches SEWING): one to read and
    # give input to, one to hold, cancel or close, two whose quantity change waits for a decision.
    due = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    def new_spk(stage="SEWING"):
        return api.call("POST", "/api/v1/production/spks", admin, {
            "article_code": "BEAR-30CM", "stage": stage, "department": stage, "original_qty": 500,
            "start_date": today, "due_date": due, "notes": "fuzz"}) or {}
    reader, changer, modified = new_spk().get("code"), new_spk().get("code"), new_spk().get("code")
    orders = api.call("GET", "/api/v1/production/orders?per_page=5", admin) or []
    order = first(orders, "code")
    materials = api.call("GET", "/api/v1/master/materials?per_page=5", admin) or []
    material = first(materials, "code")
    articles = api.call("GET", "/api/v1/master/articles?per_page=5", admin) or []
    article = first(articles, "code")
    boms = api.call("GET", "/api/v1/bom/list?per_page=5&status=ACTIVE", admin) or []
    bom = first(boms, "code")
    # Two DRAFTs: one to change, one to activate or delete (they must not take each other's).
    drafts = [(api.call("POST", f"/api/v1/bom/{item['code']}/new-version", admin) or {}).get("code")
              for item in boms[:2] if isinstance(item, dict)]
    editable = drafts[0] if drafts else None
    disposable = drafts[1] if len(drafts) > 1 else None
    locations = api.call("GET", "/api/v1/inventory/locations?per_page=50", admin) or []
    raw = first(locations, "code", lambda location: location.get("type") == "RAW_MATERIAL")

    entry = None
    requests = []
    if reader:
        entry = (api.call("POST", f"/api/v1/production/spk/{reader}/daily-input", manager,
                          {"date": today, "qty": 1, "notes": "fuzz: an entry to void"}) or {}).get("entry_id")
    # Asked by a supervisor, so the production manager (a fuzzed role) decides them.
    supervisor = tokens.get("spv_sewing") or manager
    for _ in (1, 2):
        code = new_spk().get("code")
        answer = api.call("POST", f"/api/v1/production/spk/{code}/request-modification", supervisor,
                          {"new_qty": 520, "reason": "fuzz: a request to decide"}) if code else None
        requests.append((answer or {}).get("id"))
    to_approve = requests[0] if requests else None
    to_cancel = requests[1] if len(requests) > 1 else None
    # A packing SPK of an article BOMFinance knows, with output to pack, and a carton of it.
    carton = packing = None
    if article:
        packing = (api.call("POST", "/api/v1/production/spks", admin, {
            "article_code": article, "stage": "PACKING", "department": "PACKING", "original_qty": 100,
            "start_date": today, "due_date": (datetime.date.today() + datetime.timedelta(days=7)).isoformat()}) or {}).get("code")
    if packing:
        api.call("POST", f"/api/v1/production/spk/{packing}/daily-input", manager, {"date": today, "qty": 20, "notes": "fuzz: packed"})
        carton = (api.call("POST", "/api/v1/warehouse/cartons", manager, {"spk": packing, "article_code": article, "qty": 1}) or {}).get("id")

    # Cartons through the finished-goods flow: one received and verified (for the confirm operation
    # to confirm), one confirmed (for the shipment operation to ship), one shipped (its delivery note).
    warehouse = tokens.get("admin")
    def carton_through(steps):
        made = (api.call("POST", "/api/v1/warehouse/cartons", manager, {"spk": packing, "article_code": article, "qty": 1}) or {}) \
            if packing else {}
        for step in steps:
            body = {"carton_id": made.get("id")}
            if step == "verify":
                body["article"] = article
            api.call("POST", f"/api/v1/warehouse/finishgood/{step}", warehouse, body)
        return made.get("id")
    to_confirm = carton_through(["receive", "verify"])
    to_ship = carton_through(["receive", "verify", "confirm"])
    shipped = carton_through(["receive", "verify", "confirm"])
    note = (api.call("POST", f"/api/v1/warehouse/finishgood/{shipped}/shipment", warehouse,
                     {"destination": "Toy Co", "method": "TRUCK"}) or {}).get("code") if shipped else None
    # Material on the order's floor, so a return of it has something to return.
    if order and material:
        api.call("POST", "/api/v1/inventory/issues", warehouse, {"order": order, "lines": [{"material_code": material, "qty": 5}]})
    # NCRs opened by hand: one to read, one to decide.
    qc = (api.call("POST", "/api/v1/auth/login", body={"username": "qc", "password": "qc-dev-123"}) or {}).get("access_token") or admin
    ncrs = [(api.call("POST", "/api/v1/quality/ncrs", qc, {"title": f"fuzz: NCR {n}", "qty": 2, "stage": "SEWING",
                                                           "article_code": article}) or {}).get("code")
            for n in (1, 2)]

    # Final inspection: an order with a PACKING SPK, cartons of it registered and in no lot (for opening a
    # lot), an open lot (to read and to record), and a failed lot whose NCR was decided REWORK (to re-inspect).
    qc_order = qc_packing = None
    if article:
        made = api.call("POST", "/api/v1/production/orders", admin, {
            "article_code": article, "qty": 50, "start_date": today, "due_date": due, "stages": ["SEWING", "PACKING"],
            "notes": "fuzz: cartons to inspect"}) or {}
        qc_order = made.get("code")
        qc_packing = first(made.get("spks"), "code", lambda spk: spk.get("stage") == "PACKING")
    def order_carton():
        made = api.call("POST", "/api/v1/warehouse/cartons", manager, {"spk": qc_packing, "article_code": article, "qty": 1}) \
            if qc_packing else None
        return (made or {}).get("id")
    def lot(carton):
        made = api.call("POST", "/api/v1/quality/inspections", admin, {"order": qc_order, "cartons": [carton]}) if carton else None
        return (made or {}).get("code")
    to_inspect = [carton for carton in (order_carton(), order_carton()) if carton]
    open_lot, failed_lot = lot(order_carton()), lot(order_carton())
    if failed_lot:
        failed = api.call("POST", f"/api/v1/quality/inspections/{failed_lot}/result", admin,
                          {"defects": [{"code": "OPEN_SEAM", "qty": 1}], "notes": "fuzz: a lot to re-inspect"}) or {}
        if failed.get("ncr_code"):
            api.call("POST", f"/api/v1/quality/ncrs/{failed['ncr_code']}/decide", manager, {"decision": "REWORK", "rework_stage": "SEWING"})
    # Incoming inspection: a LABEL material (the fuzz stack inspects LABEL on receipt) received, so its
    # receipt is held in QUARANTINE with an open incoming inspection. The warehouse learns the category
    # from BOMFinance's event: receive again until a receipt is held.
    held = None
    api.call("POST", "/api/v1/master/materials", admin, {"code": "LBL-FUZZ", "name": "Fuzz care label", "category": "LABEL",
                                                         "unit": "PCS", "standard_cost": 100, "cost_effective_from": "2026-01-01"})
    for _ in range(20):
        moved = api.call("POST", "/api/v1/inventory/movements", admin, {"type": "RECEIPT", "item_code": "LBL-FUZZ", "qty": 10,
                                                                         "to_location": raw, "reference": "fuzz: held"}) if raw else None
        if not moved:
            break
        movement = first(moved, "id")
        if first(moved, "to_location") != raw:
            for _ in range(40):
                held = first(api.call("GET", "/api/v1/quality/incoming-inspections?status=OPEN&per_page=50", admin) or [], "code",
                             lambda item: item.get("movement_id", "").lower() == str(movement).lower())
                if held:
                    break
                time.sleep(0.25)
            break
        time.sleep(0.5)

    operations = {
        "/api/v1/auth/login": {"body.username": "admin", "body.password": passwords.get("admin")},
        "/api/v1/auth/refresh": {"body.refresh_token": refresh},
        "/api/v1/users": {"body.username": "fuzz_user", "body.password": "fuzz-password-123", "body.full_name": "Fuzz",
                          "body.roles": ["PPIC_STAFF"]},
        "/api/v1/production/spks/{id}": {"path.id": reader},
        # Production takes work only for an article BOMFinance knows.
        "POST /api/v1/production/spks": {"body.article_code": article},
        "POST /api/v1/production/orders": {"body.article_code": article},
        "/api/v1/production/spk/{id}/daily-input": {"path.id": reader, "body.qty": 3},
        "/api/v1/production/spk/{id}/progress": {"path.id": reader},
        "/api/v1/production/spk/{id}/hold": {"path.id": changer},
        "/api/v1/production/spk/{id}/resume": {"path.id": changer},
        "/api/v1/production/spk/{id}/cancel": {"path.id": changer},
        "/api/v1/production/spk/{id}/close": {"path.id": changer},
        "/api/v1/production/spk/{id}/request-modification": {"path.id": reader, "body.reason": "fuzz"},
        "/api/v1/production/spk/{id}/modify-qty": {"path.id": modified, "body.reason": "fuzz"},
        "/api/v1/production/orders": {"body.article_code": "BEAR-30CM", "body.start_date": today, "body.due_date": due},
        "POST /api/v1/master/articles": {"body.route": ["CUTTING", "SEWING"],
                                         "body.labour_minutes": [{"stage": "CUTTING", "minutes": 2}, {"stage": "SEWING", "minutes": 10}]},
        "/api/v1/production/daily-input/{entry_id}/void": {"path.entry_id": entry},
        "/api/v1/production/orders/{id}": {"path.id": order},
        "/api/v1/production/material-debt/request": {"body.spk_id": reader, "body.material_code": material},
        "/api/v1/production/approvals/{id}/approve": {"path.id": to_approve},
        "/api/v1/production/approvals/{id}/cancel": {"path.id": to_cancel},
        "/api/v1/approvals/{id}": {"path.id": to_approve},
        "/api/v1/bom/create": {"body.article_code": article, "body.lines": [{"material_code": material, "qty_per_unit": 1}]},
        "/api/v1/bom/requirements": {"query.order": order},
        "GET /api/v1/bom/{id}": {"path.id": bom},
        "PUT /api/v1/bom/{id}": {"path.id": editable, "body.lines": [{"material_code": material, "qty_per_unit": 1}]},
        "DELETE /api/v1/bom/{id}": {"path.id": disposable},
        "/api/v1/bom/{id}/new-version": {"path.id": bom},
        "/api/v1/bom/{id}/activate": {"path.id": disposable},
        "/api/v1/master/materials/{code}": {"path.code": material},
        "/api/v1/master/materials/{code}/cost": {"path.code": material},
        "/api/v1/master/articles/{code}": {"path.code": article},
        "/api/v1/costing/articles/{code}": {"path.code": article},
        "/api/v1/costing/orders/{code}": {"path.code": order},
        "/api/v1/inventory/movements": {"body.type": "RECEIPT", "body.item_code": material, "body.to_location": raw, "body.qty": 5},
        "/api/v1/inventory/issues": {"body.order": order, "body.lines": [{"material_code": material, "qty": 1}] if material else None},
        "/api/v1/inventory/returns": {"body.order": order, "body.lines": [{"material_code": material, "qty": 1}] if material else None},
        "/api/v1/warehouse/cartons": {"body.spk": packing, "body.article_code": article, "body.qty": 1},
        "/api/v1/warehouse/cartons/{id}": {"path.id": carton},
        "/api/v1/warehouse/finishgood/receive": {"body.carton_id": carton},
        "/api/v1/warehouse/finishgood/verify": {"body.carton_id": carton, "body.article": article},
        "/api/v1/warehouse/finishgood/confirm": {"body.carton_id": to_confirm},
        "/api/v1/warehouse/finishgood/{id}/shipment": {"path.id": to_ship},
        "/api/v1/warehouse/delivery-notes/{code}": {"path.code": note},
        "/api/v1/warehouse/returns": {"body.delivery_note": note,
                                      "body.lines": [{"carton": shipped, "qty": 1, "reason": "fuzz: damaged"}] if shipped else None},
        "GET /api/v1/quality/ncrs/{code}": {"path.code": ncrs[0]},
        "/api/v1/quality/ncrs/{code}/decide": {"path.code": ncrs[1]},
        "POST /api/v1/quality/inspections": {"body.order": qc_order, "body.cartons": to_inspect},
        "/api/v1/quality/inspections/{id}": {"path.id": open_lot},
        "/api/v1/quality/inspections/{id}/result": {"path.id": open_lot, "body.defects": [{"code": "OPEN_SEAM", "qty": 1}]},
        "/api/v1/quality/inspections/{id}/reinspect": {"path.id": failed_lot},
        "/api/v1/quality/incoming-inspections/{id}/result": {"path.id": held, "body.result": "PASS"},
    }
    lines, count = [], 0
    for path, parameters in operations.items():
        known = {name: value for name, value in parameters.items() if value}
        if not known:
            continue
        count += 1
        pairs = ", ".join(f'"{name}" = {toml(value)}' for name, value in known.items())
        # "PUT /path": that operation only (include-path and include-method would match either).
        selector = f"include-name = {json.dumps(path)}" if " " in path else f"include-path = {json.dumps(path)}"
        lines += ["[[operations]]", selector, f"parameters = {{ {pairs} }}", ""]
    with open(args.out, "w") as stream:
        stream.write("# Written by scripts/lib/fuzz_config.py for one fuzz run: values that exist in the stack.\n\n")
        # The role's token as the document's bearer scheme (not a plain header), so schemathesis knows it is
        # the credential: its auth checks leave it out or spoil it and expect 401.
        stream.write('[auth.openapi.bearer]\nbearer = "${STITCH_FUZZ_TOKEN}"\n\n')
        stream.write("\n".join(lines))
    print(f"fuzz config: values that exist for {count} operations", file=sys.stderr)


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
