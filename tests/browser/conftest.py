"""Headless Chromium (Debian's package) driven by Playwright; screenshots go to test-artifacts/."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest

from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture: the board's tests)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def picture(width: int, height: int) -> bytes:
    """A PNG made here (no image leaves or enters the machine): a sky over a sea, with a sun."""
    rows = []
    for y in range(height):
        row = bytearray(b"\0")  # filter type: none
        for x in range(width):
            if (x - width * 0.7) ** 2 + (y - height * 0.3) ** 2 < (height * 0.1) ** 2:
                row += bytes((250, 200, 60))
            elif y < height * 0.55:
                row += bytes((120 + 100 * y // height, 170 + 60 * y // height, 230))
            else:
                row += bytes((20, 70 + 60 * (height - y) // height, 110 + 40 * x // width))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Shown:
    """A mail open in a page of a given width; what the page asked the network for, images answered offline."""

    def __init__(self, browser, html: str, width: int, dark: bool = False, images: dict[str, bytes] | None = None):
        self.page = browser.new_page(
            viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light"
        )
        self.images = images or {}  # URL -> PNG; any other image is answered with one pixel
        self.requests: list[tuple[str, str]] = []
        self.page.route("**/*", self._answer)
        self.page.set_content(html, wait_until="load")

    def _answer(self, route) -> None:
        request = route.request
        self.requests.append((request.resource_type, request.url))
        if request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=self.images.get(request.url, PIXEL))
        else:
            route.abort()

    def js(self, script: str):
        return self.page.evaluate(script)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def show(browser):
    opened: list[Shown] = []

    def open_(html: str, width: int, dark: bool = False, images: dict[str, bytes] | None = None) -> Shown:
        opened.append(Shown(browser, html, width, dark, images))
        return opened[-1]

    yield open_
    for shown in opened:
        shown.close()


AXE = Path(__file__).with_name("vendor") / "axe-4.14.1.min.js"  # axe-core from its npm package (MPL-2.0)


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's violations of the page's current state at the given impacts, as
    [{"id", "impact", "help", "nodes": [target, ...]}]. The page's context must bypass CSP (the
    script is injected)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in found
        if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def signed_in_page(browser, room, who: str, dark: bool = False):
    """A page of the board for axe: signed in as `who`, light or dark, CSP bypassed (axe is injected).
    Close its `.context` when done."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000},
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies([{"name": "digest_session", "value": room.tokens[who][0], "url": room.url}])
    page = context.new_page()
    page.goto(room.url + room.board)
    return page
