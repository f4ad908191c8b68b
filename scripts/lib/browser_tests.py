#!/usr/bin/env python3
"""The web board, tested in headless Chromium through selenium (./scripts/browser runs this).

Each test opens its own browser (fresh storage), does what a person would do, checks the page
against the API, and saves a screenshot of the page it checked under OUT/screenshots/. Prints one
line per test and, last, `N passed, N failed`; exits 1 when any failed.
"""
import argparse
import base64
import datetime
import json
import os
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

PASSWORDS = {
    "ppic": "ppic-dev-123",
    "staff_sewing": "staff-dev-123",
    "prod_manager": "prodmgr-dev-123",
    "wh_manager": "whmgr-dev-123",
}


class Failure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# --- the API, as a second client -------------------------------------------------------------

class Api:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.tokens = {}

    def call(self, method, path, user=None, body=None, token=None):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if user:
            headers["Authorization"] = f"Bearer {self.token(user)}"
        elif token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(f"{self.base}/api/v1{path}", data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def token(self, user):
        if user not in self.tokens:
            status, body = self.call("POST", "/auth/login", body={"username": user, "password": PASSWORDS[user]})
            check(status == 200, f"cannot sign in as {user} through the API: {status} {body}")
            self.tokens[user] = body["data"]["access_token"]
        return self.tokens[user]

    def data(self, method, path, user, body=None, expect=(200, 201)):
        status, answer = self.call(method, path, user=user, body=body)
        check(status in expect, f"{method} {path} as {user}: {status} {answer}")
        return answer["data"]

    def get(self, path, user="ppic"):
        return self.data("GET", path, user)

    def meta(self, path, user="ppic"):
        status, answer = self.call("GET", path, user=user)
        check(status == 200, f"GET {path}: {status} {answer}")
        return answer["data"], answer.get("meta")


# --- the browser --------------------------------------------------------------------------------

class Browser:
    def __init__(self, base, out, name, width=1280, height=900, phone=False):
        self.base = base.rstrip("/")
        self.out = out
        self.name = name
        self.profile = tempfile.TemporaryDirectory(prefix="stitch-browser-")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US",
                         "--no-first-run", "--disable-extensions", "--mute-audio",
                         f"--window-size={max(width, 500)},{height}", f"--user-data-dir={self.profile.name}"]:
            options.add_argument(argument)
        if phone:
            # A desktop window cannot be narrower than 500 px: a phone's screen is emulated instead.
            options.add_experimental_option("mobileEmulation", {
                "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2, "touch": True}})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service("/usr/bin/chromedriver", log_output=os.path.join(out, "report", f"chromedriver-{name}.log"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)
        self.console = []

    def open(self, path):
        self.driver.get(self.base + path)

    def el(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, condition, what, timeout=15, poll=0.05):
        try:
            # Lists are redrawn as answers come: an element read mid-redraw is simply read again.
            return WebDriverWait(self.driver, timeout, poll_frequency=poll,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(lambda _: condition())
        except TimeoutException:
            raise Failure(f"timed out after {timeout} s waiting for {what}") from None

    def visible(self, css):
        found = self.els(css)
        return found[0] if found and found[0].is_displayed() else None

    def sign_in(self, path, user, password=None):
        self.open(path)
        username = self.wait(lambda: self.visible("#username"), "the sign-in form")
        username.send_keys(user)
        self.el("#password").send_keys(password or PASSWORDS[user], Keys.ENTER)
        self.wait(lambda: self.visible("#main"), f"the page after signing in as {user}")

    def within(self, css, inner):
        """An element inside the (current) element at `css`: found afresh, as lists are redrawn."""
        return self.wait(lambda: self.el(css).find_element(By.CSS_SELECTOR, inner), f"{inner} in {css}")

    def spk_rows(self):
        return self.driver.execute_script(
            "return [...document.querySelectorAll('#ontrack-table tbody tr[data-spk]')].map((tr) => tr.dataset.spk)")

    def entry_states(self):
        return self.driver.execute_script(
            "return [...document.querySelectorAll('#entries li[data-entry-id]')].map((li) => li.dataset.state)")

    def offline(self, offline):
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    def screenshot(self, suffix=""):
        """The whole page, not only the part in the window (DevTools' captureBeyondViewport)."""
        path = os.path.join(self.out, "screenshots", f"{self.name}{suffix}.png")
        try:
            size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}})
            with open(path, "wb") as image:
                image.write(base64.b64decode(shot["data"]))
        except Exception:  # noqa: BLE001 - then at least the window
            self.driver.save_screenshot(path)
        return path

    def close(self):
        try:
            self.console = self.driver.get_log("browser")
        except Exception:  # noqa: BLE001 - the log is a help, not a result
            self.console = []
        with open(os.path.join(self.out, "report", f"console-{self.name}.log"), "w") as log:
            for entry in self.console:
                log.write(f"{entry.get('level')} {entry.get('message')}\n")
        self.driver.quit()
        self.profile.cleanup()

    def uncaught_errors(self):
        return [e["message"] for e in self.console if e.get("level") == "SEVERE" and "Uncaught" in e.get("message", "")]


def number(text):
    return int(text.replace(",", "").replace("+", "").strip())


def today_of_board(api):
    return api.get("/ppic/reports/daily-summary")["date"]


def open_sewing_spk(api, date):
    """A stand-alone SEWING SPK that takes input on `date` (no WIP rule, staff_sewing's department)."""
    spks, _ = api.meta("/production/spks?department=SEWING&per_page=100")
    for spk in spks:
        if spk.get("order_code") is None and spk["status"] in ("NOT_STARTED", "IN_PROGRESS") and spk["start_date"] <= date:
            return spk
    start = (datetime.date.fromisoformat(date) - datetime.timedelta(days=1)).isoformat()
    due = (datetime.date.fromisoformat(date) + datetime.timedelta(days=10)).isoformat()
    return api.data("POST", "/production/spks", "ppic", {
        "article_code": "BEAR-30CM", "stage": "SEWING", "department": "SEWING", "original_qty": 500,
        "start_date": start, "due_date": due, "notes": "browser test"})


# --- the tests ----------------------------------------------------------------------------------

def test_wrong_password(ctx):
    """A wrong password shows the API's message, in words, and the form stays."""
    b = ctx.browser("01-wrong-password")
    b.open("/")
    b.wait(lambda: b.visible("#username"), "the sign-in form").send_keys("ppic")
    b.el("#password").send_keys("not-the-password", Keys.ENTER)
    message = b.wait(lambda: b.visible("#signin-error"), "an error message")
    check("Wrong user name or password" in message.text, f"the message says {message.text!r}")
    check(message.get_attribute("role") == "alert", "the message is not announced (role=alert)")
    check(b.driver.switch_to.active_element.get_attribute("id") == "password", "the focus is not back on the password")
    check(not b.visible("#main"), "the board is shown without signing in")


def test_sign_in_and_board_matches_api(ctx):
    """Signed in as the planner, the board's numbers are the API's."""
    b = ctx.browser("02-board-matches-api")
    b.sign_in("/", "ppic")
    b.wait(lambda: b.el("#live").get_attribute("data-state") == "live", "the push stream to be live")
    b.wait(lambda: b.el("body").get_attribute("data-loaded-at"), "the board's figures")
    b.wait(lambda: len(b.els("#daily-table tbody tr")) == 5, "five stages in the daily table")
    api = ctx.api
    dashboard = api.get("/ppic/dashboard")
    summary = api.get("/ppic/reports/daily-summary")
    ontrack, meta = api.meta("/ppic/reports/on-track-status?page=1&per_page=10")
    expected = {
        "health-on-track": dashboard["health"]["on_track"], "health-at-risk": dashboard["health"]["at_risk"],
        "health-off-track": dashboard["health"]["off_track"], "spks-total": dashboard["total_spks"],
        "spks-in-progress": dashboard["in_progress"], "spks-delayed": dashboard["delayed"],
        "spks-on-hold": dashboard["on_hold"], "approvals-pending": dashboard["pending_approvals"],
        "daily-target": summary["target"], "daily-actual": summary["actual"], "daily-variance": summary["variance"],
        "daily-date": summary["date"],
        "stages": {row["stage"]: [row["target"], row["actual"], row["actual"]] for row in summary["by_stage"]},
        "on-track": [d["spk"] for d in ontrack["details"]],
        "total": meta["total"],
        "alerts": len(dashboard["top_alerts"]),
    }
    # Everything on screen in one read (the board redraws as pushes come; a half-drawn read is retried).
    snapshot = r"""
        const n = (text) => Number(String(text).replace(/[,+]/g, '').trim());
        const value = (id) => n(document.getElementById(id).textContent);
        const ids = ['health-on-track', 'health-at-risk', 'health-off-track', 'spks-total', 'spks-in-progress', 'spks-delayed',
                     'spks-on-hold', 'approvals-pending', 'daily-target', 'daily-actual', 'daily-variance'];
        const shown = Object.fromEntries(ids.map((id) => [id, value(id)]));
        shown['daily-date'] = document.getElementById('daily-date').value;
        shown.stages = Object.fromEntries([...document.querySelectorAll('#daily-table tbody tr')].map((tr) => [tr.dataset.stage, [
          n(tr.querySelector('.target').textContent), n(tr.querySelector('.actual').textContent),
          n(document.querySelector(`#daily-chart rect[data-stage="${tr.dataset.stage}"][data-kind="actual"]`).dataset.value)]]));
        shown['on-track'] = [...document.querySelectorAll('#ontrack-table tbody tr[data-spk]')].map((tr) => tr.dataset.spk);
        shown.total = n((document.getElementById('page-info').textContent.match(/\(([\d,]+) SPKs\)/) || [0, -1])[1]);
        shown.alerts = document.querySelectorAll('#alerts li:not(.muted)').length;
        return shown;
    """
    last = {}

    def matches():
        last.update(b.driver.execute_script(snapshot))
        return last == expected

    try:
        b.wait(matches, "the board to show the API's numbers", timeout=5)
    except Failure:
        differ = {key: (last.get(key), value) for key, value in expected.items() if last.get(key) != value}
        raise Failure(f"the board differs from the API (shown, API): {differ}") from None
    # Filters: off track only, as the API filters it.
    b.el("#filter-health").send_keys("Off track")
    off, _ = api.meta("/ppic/reports/on-track-status?health=OFF_TRACK&page=1&per_page=10")
    b.wait(lambda: b.spk_rows() == [d["spk"] for d in off["details"]],
           "the off-track filter to show the API's list")


def test_board_moves_within_two_seconds(ctx):
    """A daily input posted through the API shows on the open board within 2 s, without a reload."""
    b = ctx.browser("03-board-live-update")
    b.sign_in("/", "ppic")
    b.wait(lambda: b.el("#live").get_attribute("data-state") == "live", "the push stream to be live")
    b.wait(lambda: b.el("#daily-actual").get_attribute("data-value"), "the daily actual")
    time.sleep(1.0)   # let the first load and its settle refresh finish
    date = b.el("#daily-date").get_attribute("value")
    before = int(b.el("#daily-actual").get_attribute("data-value"))
    b.driver.execute_script("window.__notReloaded = 'yes';")
    spk = open_sewing_spk(ctx.api, date)
    qty = 7
    ctx.api.data("POST", f"/production/spk/{spk['code']}/daily-input", "staff_sewing",
                 {"date": date, "qty": qty, "reject_qty": 0, "client_entry_id": f"browser-push-{time.time_ns()}"})
    posted = time.monotonic()
    b.wait(lambda: b.el("#daily-actual").get_attribute("data-value") == str(before + qty),
           f"the daily actual to go from {before} to {before + qty}", timeout=10, poll=0.02)
    elapsed = time.monotonic() - posted
    ctx.note(f"board showed the input {elapsed:.2f} s after the API's reply")
    check(elapsed <= 2.0, f"the board took {elapsed:.2f} s (more than 2 s)")
    check(b.driver.execute_script("return window.__notReloaded") == "yes", "the page was reloaded")
    stage_row = b.el('#daily-table tbody tr[data-stage="SEWING"] .actual').text
    # The stream itself is signed in like every route: none without a token, none for the line.
    status, _ = ctx.api.call("GET", "/ppic/stream")
    check(status == 401, f"the stream without a token answered {status}, not 401")
    status, _ = ctx.api.call("GET", "/ppic/stream", user="staff_sewing")
    check(status == 403, f"the stream for line staff answered {status}, not 403")
    sewing = [row for row in ctx.api.get(f"/ppic/reports/daily-summary?date={date}")["by_stage"] if row["stage"] == "SEWING"][0]
    check(number(stage_row) == sewing["actual"],
          "the SEWING row is not the API's")


def test_line_offline_entries_recorded_once(ctx):
    """At phone width: offline, three entries wait on the phone (a reject counted by its defect code);
    back online, each is recorded once and the defect reaches Quality's Pareto."""
    b = ctx.browser("04-line-offline", width=390, height=844, phone=True)
    api = ctx.api
    date = today_of_board(api)
    spk = open_sewing_spk(api, date)
    before = api.get(f"/production/spks/{spk['code']}", "staff_sewing")
    # The line page dates an entry by its shift: just after midnight that is still yesterday's night shift.
    yesterday = (datetime.date.fromisoformat(date) - datetime.timedelta(days=1)).isoformat()
    def skipped_stitches():  # SEWING's SKIPPED_STITCH in Quality's Pareto of today and the night before
        pareto = api.get(f"/quality/defects/pareto?stage=SEWING&from={yesterday}&to={date}", "staff_sewing")
        return next((line["qty"] for line in pareto["lines"] if line["code"] == "SKIPPED_STITCH"), 0)
    stitches_before = skipped_stitches()
    b.sign_in("/line.html", "staff_sewing")
    card_css = f'section.spk[data-spk-code="{spk["code"]}"]'
    b.wait(lambda: b.visible(card_css), f"the card of {spk['code']}")
    width, scroll = b.driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    check(width == 390, f"the page is {width} px wide, not a 390 px phone")
    check(scroll <= width, f"the line page is {scroll} px wide on a {width} px phone (sideways scrolling)")
    b.offline(True)
    b.within(card_css, "button.record-toggle").click()
    b.wait(lambda: b.within(card_css, "input[name=qty]").is_displayed(), "the entry form")
    entries = [(3, 1), (4, 0), (5, 0)]
    for index, (qty, rejects) in enumerate(entries, start=1):
        good = b.within(card_css, "input[name=qty]")
        good.clear()
        good.send_keys(str(qty))
        bad = b.within(card_css, "input[name=reject_qty]")
        bad.clear()
        bad.send_keys(str(rejects))
        if rejects:  # the reject counted by its defect code (the form lists the stage's codes)
            defect = b.within(card_css, "input[name=defect-SKIPPED_STITCH]")
            defect.clear()
            defect.send_keys(str(rejects))
        b.within(card_css, "button[type=submit]").click()
        b.wait(lambda: len(b.els("#entries li[data-entry-id]")) == index, f"entry {index} on the list")
        b.wait(lambda: b.entry_states() == ["pending"] * index,
               "the entries to wait as pending")
    b.wait(lambda: b.el("#queue-count").get_attribute("data-waiting") == "3", "3 entries waiting")
    b.wait(lambda: b.el("#net").get_attribute("data-online") == "false", "the page to say it is offline")
    b.screenshot("-a-offline-pending")
    ids = b.driver.execute_script("return [...document.querySelectorAll('#entries li[data-entry-id]')].map((li) => li.dataset.entryId)")
    check(len(set(ids)) == 3, f"the entries' client ids are not distinct: {ids}")
    middle = api.get(f"/production/spks/{spk['code']}", "staff_sewing")
    check(middle["produced_qty"] == before["produced_qty"], "something reached the server while offline")
    b.offline(False)
    b.wait(lambda: b.entry_states() == ["recorded"] * 3,
           "all three entries to be recorded", timeout=30)
    b.wait(lambda: b.el("#queue-count").get_attribute("data-waiting") == "0", "nothing waiting")
    after = api.get(f"/production/spks/{spk['code']}", "staff_sewing")
    check(after["produced_qty"] == before["produced_qty"] + 12,
          f"produced went {before['produced_qty']} → {after['produced_qty']}, expected +12 (each entry once)")
    check(after["reject_qty"] == before["reject_qty"] + 1, f"rejects went {before['reject_qty']} → {after['reject_qty']}, expected +1")
    deadline = time.monotonic() + 10
    while skipped_stitches() != stitches_before + 1 and time.monotonic() < deadline:
        time.sleep(0.3)
    check(skipped_stitches() == stitches_before + 1, "the reject's defect code did not reach Quality's Pareto once")
    # The server knows each id: the same id with another entry is refused naming it, and changes nothing
    # (the same entry again is a duplicate: IdempotencyKeyHTTPTests).
    again = api.data("POST", "/production/mobile/daily-input", "staff_sewing", {"entries": [
        {"spk_id": spk["id"], "date": date, "qty": 1, "client_entry_id": entry_id} for entry_id in ids]})
    check([r["status"] for r in again] == ["rejected"] * 3
          and all([d["field"] for d in r["error"]["details"]] == ["client_entry_id"] for r in again),
          f"another entry under a known id was not refused naming client_entry_id: {again}")
    final = api.get(f"/production/spks/{spk['code']}", "staff_sewing")
    check(final["produced_qty"] == after["produced_qty"], "a repeated entry was counted again")
    # Reloaded, the page still knows what happened to them.
    b.driver.refresh()
    b.wait(lambda: len(b.els("#entries li[data-state=recorded]")) >= 3, "the recorded entries after a reload")


def test_scan_moves_carton_to_confirmed(ctx):
    """A keyboard-wedge scan sequence: SSCC + Enter, article + Enter, Enter — the carton is CONFIRMED."""
    api = ctx.api
    date = today_of_board(api)
    start = (datetime.date.fromisoformat(date) - datetime.timedelta(days=1)).isoformat()
    due = (datetime.date.fromisoformat(date) + datetime.timedelta(days=7)).isoformat()
    spk = api.data("POST", "/production/spks", "ppic", {
        "article_code": "BEAR-30CM", "stage": "PACKING", "department": "PACKING", "original_qty": 240,
        "start_date": start, "due_date": due, "notes": "browser scan test"})
    carton = api.data("POST", "/warehouse/cartons", "prod_manager", {"spk": spk["code"], "article_code": "BEAR-30CM", "qty": 24})
    b = ctx.browser("05-scan-confirmed")
    b.sign_in("/scan.html", "wh_manager")
    field = b.wait(lambda: b.visible("#scan-input"), "the scan field")
    check(b.driver.switch_to.active_element.get_attribute("id") == "scan-input", "the scan field does not have the focus")
    typed = lambda text: b.driver.switch_to.active_element.send_keys(text, Keys.ENTER)  # noqa: E731 - a wedge types where the focus is
    typed("12345")
    b.wait(lambda: b.el("#feedback").get_attribute("data-kind") == "error" and "not an SSCC" in b.el("#feedback").text,
           "an error in words for a bad scan")
    typed(f"(00){carton['sscc']}")
    b.wait(lambda: b.el("#carton-status").get_attribute("data-status") == "RECEIVED", "RECEIVED")
    check("scan the article" in b.el("#feedback").text.lower(), f"feedback {b.el('#feedback').text!r}")
    typed("BEAR-30CM")
    b.wait(lambda: b.el("#carton-status").get_attribute("data-status") == "VERIFIED", "VERIFIED")
    typed("")
    b.wait(lambda: b.el("#carton-status").get_attribute("data-status") == "CONFIRMED", "CONFIRMED")
    check(b.el("#feedback").get_attribute("data-kind") == "ok", "the confirmation is not shown as a success")
    stored = api.get(f"/warehouse/cartons/{carton['sscc']}", "wh_manager")
    check(stored["status"] == "CONFIRMED" and stored["confirmed_qty"] == 24, f"the API has {stored['status']} {stored.get('confirmed_qty')}")
    check(field.get_attribute("id") == "scan-input", "lost the scan field")
    # The same carton again: its state, no error, nothing moved twice.
    typed(carton["sscc"])
    b.wait(lambda: "already confirmed" in b.el("#feedback").text, "the carton's state on a second scan")


def test_each_role_lands_on_its_page(ctx):
    """Line staff who open the board are taken to the line page; signing out brings the sign-in form back."""
    b = ctx.browser("06-role-redirect")
    b.sign_in("/", "staff_sewing")
    b.wait(lambda: b.driver.current_url.endswith("/line.html"), "the line page for line staff")
    b.wait(lambda: b.visible("section.spk"), "the line staff's SPKs")
    b.el("#sign-out").click()
    b.wait(lambda: b.visible("#username"), "the sign-in form after signing out")
    check(b.driver.execute_script("return sessionStorage.getItem('stitch.session')") is None, "the tokens stayed after signing out")


TESTS = [
    ("wrong_password", test_wrong_password),
    ("board_matches_api", test_sign_in_and_board_matches_api),
    ("board_live_update", test_board_moves_within_two_seconds),
    ("line_offline", test_line_offline_entries_recorded_once),
    ("scan_confirmed", test_scan_moves_carton_to_confirmed),
    ("role_redirect", test_each_role_lands_on_its_page),
]


class Context:
    def __init__(self, api, base, out):
        self.api = api
        self.base = base
        self.out = out
        self.browsers = []
        self.notes = []

    def browser(self, name, **size):
        browser = Browser(self.base, self.out, name, **size)
        self.browsers.append(browser)
        return browser

    def note(self, text):
        self.notes.append(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "screenshots"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "report"), exist_ok=True)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    passed = failed = 0
    for name, test in TESTS:
        if chosen and name not in chosen:
            continue
        ctx = Context(Api(args.api), args.api, args.out)
        started = time.monotonic()
        problem = None
        try:
            test(ctx)
        except Failure as error:
            problem = str(error)
        except Exception as error:  # noqa: BLE001 - any error fails the test, with its trace in the report
            problem = f"{type(error).__name__}: {error}"
            with open(os.path.join(args.out, "report", f"{name}.trace"), "w") as trace:
                trace.write(traceback.format_exc())
        finally:
            for browser in ctx.browsers:
                try:
                    browser.screenshot()
                except Exception:  # noqa: BLE001
                    pass
                browser.close()
                errors = browser.uncaught_errors()
                if errors and not problem:
                    problem = f"uncaught JavaScript errors: {errors[:3]}"
        seconds = time.monotonic() - started
        notes = f" — {'; '.join(ctx.notes)}" if ctx.notes else ""
        if problem:
            failed += 1
            print(f"FAIL {name} ({seconds:.1f} s): {problem}{notes}", flush=True)
        else:
            passed += 1
            print(f"PASS {name} ({seconds:.1f} s){notes}", flush=True)
    print(f"screenshots in {os.path.join(args.out, 'screenshots')}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
