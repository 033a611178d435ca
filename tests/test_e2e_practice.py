"""End to end in headless Debian Chromium: the practice fills in its details and logo from the banner's link, and
gives a handler the function and NOLOC number that appointments take over; it manages the users (Gebruikers) and
sees mail that could not be sent; everyone changes their own password and e-mail settings (Mijn account)."""

import re
import struct
import zlib

import pytest
from conftest import Api, Cases, _app
from helpers import login, shots_dir
from sqlalchemy import select

from service.clock import now
from service.extensions import db
from service.mail import deliver_outbox
from service.models import User


def logo_png() -> bytes:
    """A small two-colour logo (a block and a bar), so the screenshot shows that the upload is the practice's own."""
    width, height = 240, 80
    block, bar, background = (0x1F, 0x5F, 0x7A), (0xE0, 0x8A, 0x1E), (0xFF, 0xFF, 0xFF)
    rows = []
    for y in range(height):
        row = []
        for x in range(width):
            if 8 <= x < 72 and 8 <= y < 72:
                row.append(block)
            elif 84 <= x < 232 and 30 <= y < 50:
                row.append(bar)
            else:
                row.append(background)
        rows.append(row)
    return _encode(rows)


def _encode(rows: list[list[tuple[int, int, int]]]) -> bytes:
    """Return rows of RGB pixels as a PNG file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"".join(bytes(pixel) for pixel in row) for row in rows)
    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_the_practice_fills_in_its_letterhead_and_a_handlers_profile(page, live_server, tmp_path):
    shots = shots_dir(tmp_path)
    login(page, live_server, "praktijk")
    banner = page.locator("#practice-settings-banner")
    assert "De praktijkgegevens zijn nog niet ingevuld" in banner.inner_text()
    banner.get_by_role("link", name="Praktijkgegevens invullen").click()
    page.wait_for_url(re.compile(r"/praktijk$"))

    page.fill("#pr-name", "Loopbaanpraktijk De Wegwijzer")
    page.fill("#pr-address", "Kanaalweg 7\n3526 KL Utrecht")
    page.fill("#pr-phone", "030 123 45 67")
    page.fill("#pr-email", "info@wegwijzer-loopbaan.test")
    page.fill("#pr-website", "www.wegwijzer-loopbaan.test")
    page.fill("#pr-place", "Utrecht")
    page.set_input_files("#pr-logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}])
    page.click("button:has-text('Praktijkgegevens opslaan')")
    page.wait_for_selector("text=De praktijkgegevens zijn opgeslagen")
    assert page.locator("#practice-settings-banner").count() == 0
    assert page.eval_on_selector("img.practice-logo", "img => img.complete && img.naturalWidth") == 240

    page.fill("#pf-behandelaar-function", "Loopbaancoach")
    page.fill("#pf-behandelaar-noloc_number", "NL-12345")
    page.click("button:has-text('Opslaan profiel van behandelaar')")
    page.wait_for_selector("text=Het profiel van Behandelaar is opgeslagen")
    assert page.input_value("#pf-behandelaar-noloc_number") == "NL-12345"
    page.screenshot(path=str(shots / "praktijkgegevens.png"), full_page=True)


@pytest.fixture
def mail_site(backend, request, tmp_path, password_hash, clock):
    """The app with e-mail on but its mail server away (a closed port), served like live_server."""
    import socket
    import threading

    from werkzeug.serving import make_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = _app(backend, request, tmp_path, password_hash, extra={"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": closed_port})
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "praktijk")).email = "praktijk@example.org"
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_practice_manages_users_and_everyone_their_account(page, mail_site, tmp_path, browser):
    app, site = mail_site
    shots = shots_dir(tmp_path)
    Cases(Api(app.test_client())).register()  # mails the practice; the mail server is away, so it waits
    with app.app_context():
        assert deliver_outbox(now(), app.extensions["klachten"]) == 0

    login(page, site, "praktijk")
    page.get_by_role("link", name="Gebruikers", exact=True).click()
    page.wait_for_url(re.compile(r"/gebruikers$"))
    assert "praktijk@example.org" in page.locator("#table-outbox").inner_text()
    page.fill("#nu-username", "fenna")
    page.fill("#nu-display_name", "Fenna Faber")
    page.fill("#nu-email", "fenna@")
    page.fill("#nu-password", "kort")
    page.click("button:has-text('Gebruiker aanmaken')")
    summary = page.locator(".error-summary")
    assert "Vul een geldig e-mailadres in" in summary.inner_text()
    assert "Kies een of meer rollen" in summary.inner_text()
    assert "minstens 8 tekens" in summary.inner_text()
    assert page.input_value("#nu-email") == "fenna@" and page.input_value("#nu-password") == ""
    page.screenshot(path=str(shots / "gebruikers-fouten.png"), full_page=True)

    page.fill("#nu-email", "fenna@example.org")
    page.check("label:has-text('Behandelaar') >> input")
    page.fill("#nu-password", "welkom-fenna-1")
    page.click("button:has-text('Gebruiker aanmaken')")
    page.wait_for_selector("text=De gebruiker Fenna Faber (fenna) is aangemaakt.")
    page.check("#u-roles-3")  # coach too
    page.click("button:has-text('Rollen opslaan')")
    page.wait_for_selector("text=De rollen van Fenna Faber zijn opgeslagen.")
    page.fill("#u-password", "nieuw-voor-fenna")
    page.click("button:has-text('Wachtwoord instellen')")
    page.wait_for_selector("text=Het wachtwoord van Fenna Faber is gewijzigd.")
    page.screenshot(path=str(shots / "gebruiker.png"), full_page=True)
    page.click("button:has-text('Fenna Faber uitschakelen')")
    page.wait_for_selector("#disabled-note")
    page.get_by_role("link", name="Gebruikers", exact=True).click()
    row = page.locator("#table-users tr", has_text="fenna@example.org")
    assert "behandelaar, coach" in row.inner_text() and "uitgeschakeld" in row.inner_text()
    page.screenshot(path=str(shots / "gebruikers.png"), full_page=True)

    page.get_by_role("link", name="Mijn account").click()
    page.wait_for_url(re.compile(r"/account$"))
    page.fill("#a-current_password", "niet-mijn-wachtwoord")
    page.fill("#a-new_password", "nieuw-wachtwoord-1")
    page.fill("#a-new_password_repeat", "nieuw-wachtwoord-2")
    page.click("button:has-text('Wachtwoord wijzigen')")
    assert page.locator("#a-current_password-error").inner_text().endswith("Het huidige wachtwoord klopt niet.")
    assert page.locator("#a-new_password_repeat-error").inner_text().endswith("niet gelijk.")
    page.fill("#a-email", "praktijkhouder@example.org")
    page.check("#a-mail_digest")
    page.click("button:has-text('E-mailinstellingen opslaan')")
    page.wait_for_selector("text=Uw e-mailinstellingen zijn opgeslagen.")
    assert page.input_value("#a-email") == "praktijkhouder@example.org" and page.is_checked("#a-mail_digest")
    page.screenshot(path=str(shots / "account.png"), full_page=True)

    # A disabled user is refused at the login page.
    other = browser.new_context(locale="nl-NL").new_page()
    other.goto(f"{site}/login")
    other.fill("#username", "fenna")
    other.fill("#password", "nieuw-voor-fenna")
    other.click("button:has-text('Inloggen')")
    assert "Onbekende gebruikersnaam of onjuist wachtwoord." in other.inner_text("main")
    other.context.close()

    # Nothing scrolls sideways on a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL").new_page()
    login(phone, site, "praktijk")
    for path, name in (("/gebruikers", "gebruikers-telefoon.png"), ("/account", None)):
        phone.goto(f"{site}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
        if name:
            phone.screenshot(path=str(shots / name), full_page=True)
    phone.context.close()
