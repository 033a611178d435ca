"""End to end in headless Debian Chromium: the practice fills in its details and logo from the banner's link, and
gives a handler the function and NOLOC number that appointments take over."""

import re
import struct
import zlib

from helpers import login, shots_dir


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
