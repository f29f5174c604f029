"""Screenshot of an `llm-extract report` page, for the README.

    llm-extract report results.jsonl --articles seeds --out report.html
    python scripts/report_screenshot.py report.html docs/report.png

Drives Debian's Chromium (`apt-get install chromium`) through Playwright's sync API,
offline: every request other than the page itself is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot(report: Path, png: Path, *, width: int = 1280, height: int = 900) -> None:
    """The first screenful of the page (not the full page), as a reader first sees it."""
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")
    url = report.resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})

            def only_the_page(route: Route) -> None:
                (route.continue_ if route.request.url == url else route.abort)()

            page.route("**/*", only_the_page)
            page.goto(url)
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png), full_page=False)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="the HTML file written by llm-extract report")
    parser.add_argument("png", type=Path, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    screenshot(args.report, args.png, width=args.width, height=args.height)
    print(f"wrote {args.png}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
