"""The doelgroepregister's page in a real browser (DR-5, DR-6): Debian's Chromium, headless,
driven by Playwright, against the service (uvicorn) on 127.0.0.1 with an SQLite register.

A werkgever logs in with its credential, asks for a person in the doelgroep (Ja) and for an
invalid BSN (a clear Dutch error, the input not shown again), and a POST without the CSRF
token — the form's hidden field removed in the page, then submitted by the browser, and a
request from the same browser context without a token — is refused. The page runs
without JavaScript under its Content-Security-Policy (no violation is reported).

Screenshots go to ``$REGISTER_SCREENSHOT_DIR`` when set (else the test's temporary folder).
Needs ``chromium`` (Debian package; CI installs it): skipped without it locally, a failure in
CI ($CI set and not "0")."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from live import IN, audit_rows, live_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI", "") not in ("", "0"):
        raise RuntimeError(f"{CHROMIUM} ontbreekt: installeer het Debian-pakket chromium")
    pytest.skip("chromium ontbreekt (Debian-pakket chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = os.environ.get("REGISTER_SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_DR_5_browser_login_look_up_invalid_bsn_and_csrf(sqlite_url, tmp_path, shots):
    with live_server(sqlite_url, tmp_path / "dienst", limiet=1000, venster_seconden=3600) as live, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1000, "height": 760}, java_script_enabled=False,
                                          locale="nl-NL")
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)

            page.goto(live.url + "/")
            assert page.locator("h1").inner_text() == "Staat deze persoon in het doelgroepregister?"
            page.get_by_role("link", name="Aanmelden").click()
            page.get_by_label("Uw sleutel").fill(live.tokens["werkgever"])
            page.get_by_role("button", name="Aanmelden").click()
            page.wait_for_url("**/opvragen")
            assert "Aangemeld als Bakkerij Jansen" in page.content()
            cookies = {c["name"]: c for c in context.cookies()}
            assert cookies["rr_sessie"]["httpOnly"] and cookies["rr_sessie"]["sameSite"] == "Strict"
            assert cookies["rr_csrf"]["httpOnly"] and cookies["rr_csrf"]["sameSite"] == "Strict"

            # a person in the doelgroep
            page.get_by_label("Burgerservicenummer (BSN)").fill(IN)
            page.get_by_label("Datum (niet verplicht)").fill("2019-06-30")
            page.get_by_role("button", name="Opvragen").click()
            status = page.get_by_role("status")
            assert status.inner_text().strip() == ("Ja, deze persoon hoort op 30 juni 2019 bij de doelgroep en telt "
                                                   "mee voor de banenafspraak.")
            assert page.get_by_label("Burgerservicenummer (BSN)").input_value() == ""  # not shown again
            page.screenshot(path=str(shots / "register-opvragen-ja.png"), full_page=True)

            # an invalid BSN: a clear Dutch message, the input not repeated
            page.get_by_label("Burgerservicenummer (BSN)").fill("12345678a")
            page.get_by_role("button", name="Opvragen").click()
            alert = page.get_by_role("alert")
            assert alert.inner_text().strip() == ("Ongeldig BSN: een BSN bestaat uit precies negen cijfers "
                                                  "(geen letters, spaties of andere tekens).")
            assert "12345678a" not in page.content()
            assert page.get_by_role("status").count() == 0
            page.get_by_label("Burgerservicenummer (BSN)").fill("123456789")
            page.get_by_role("button", name="Opvragen").click()
            assert "elfproef" in page.get_by_role("alert").inner_text()
            page.screenshot(path=str(shots / "register-opvragen-ongeldig.png"), full_page=True)

            # a POST without the CSRF token: the hidden field removed, the form submitted by the browser
            scripted = context.new_page()
            scripted.goto(live.url + "/opvragen")
            scripted.evaluate("document.querySelector('main input[name=csrf]').remove()")
            scripted.get_by_label("Burgerservicenummer (BSN)").fill(IN)
            scripted.get_by_role("button", name="Opvragen").click()
            scripted.wait_for_load_state()
            assert scripted.locator("h1").inner_text() == "Geen toegang"
            assert "verlopen of komt niet van deze pagina" in scripted.get_by_role("alert").inner_text()
            assert scripted.get_by_role("status").count() == 0
            scripted.screenshot(path=str(shots / "register-csrf-geweigerd.png"), full_page=True)
            # and a request from the same browser context (its cookies) without a token
            r = context.request.post(live.url + "/opvragen", form={"bsn": IN, "datum": "2019-06-30"})
            assert r.status == 403 and IN not in r.text()

            assert not [m for m in console if "Content Security Policy" in m], console
            context.close()
        finally:
            browser.close()
        rows = [r for r in audit_rows(live.engine) if r.actie == "opvragen"]
        assert [(r.status, r.antwoord) for r in rows] == [(200, "ja"), (400, None), (400, None), (403, None),
                                                          (403, None)]
