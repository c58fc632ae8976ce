"""The browser course: seconds from opening chapter 1's URL to its first %%trace picture.

The site is dist/lite (built by `make lite`), served from this machine; headless Chromium opens
chapter 1 (the solutions' copy, as a student who has done it), waits for the kernel, runs every
cell, and stops the clock when the first picture with op nodes is on the page. Cold: a fresh
browser profile, so every file of the site is downloaded and Python installed from it. Warm: the
same page opened again in that profile (the browser's cache holds the site). The baseline is the
target of the issue that asked for the course in the browser: 20 s cold.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.harness import find_chromium, running_chromium  # noqa: E402
from tests.browser.lite.site import LitePage, serving  # noqa: E402

SITE = REPO / "dist" / "lite"
CHAPTER = "ch1-a-value-that-remembers.ipynb"
TARGET = 20.0
PICTURE = "svg g.node:has(ellipse)"
SCREENSHOT = REPO / "docs" / "images" / "lite-chapter-1.png"


def first_picture_seconds(lite):
    started = time.monotonic()
    lite.open(CHAPTER)
    lite.start_running_all()
    lite.page.locator(f".jp-OutputArea-output {PICTURE}").first.wait_for(timeout=300_000)  # a hang guard
    return time.monotonic() - started


def main():
    if not (SITE / "index.html").is_file():
        print(f"{SITE.relative_to(REPO)} is not built: run `make lite` first")
        return
    with serving(SITE) as url, sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile, \
            running_chromium(playwright, find_chromium(), profile) as browser:
        page = browser.new_page()
        lite = LitePage(page, url)
        lite.open()
        lite.save("value.py", (REPO / "solutions" / "value.py").read_text())
        lite.save(CHAPTER, (REPO / "solutions" / CHAPTER).read_text())
        # saving the student's files opened the site: empty the HTTP cache (not the files) for the cold run
        browser.new_cdp_session(page).send("Network.clearBrowserCache")
        cold = first_picture_seconds(lite)
        warm = first_picture_seconds(lite)
        picture = page.locator(f".jp-OutputArea-output {PICTURE}").first
        picture.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOT))
    print(f"{'opening chapter 1 to its first %%trace picture':<48} {'seconds':>8} {'target':>8}")
    print(f"{'cold (empty browser cache)':<48} {cold:8.1f} {TARGET:8.1f}")
    print(f"{'warm (the site in the browser cache)':<48} {warm:8.1f} {TARGET:8.1f}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
