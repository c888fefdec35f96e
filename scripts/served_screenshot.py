"""Make docs/served-app.png: the app as `workplan serve` gives it to a browser.

Run: .venv/bin/python scripts/served_screenshot.py [--out docs/served-app.png]

It builds the same small negotiation as scripts/screenshots.py in a temporary folder, runs
`workplan serve` on it, and opens the page in Debian's Chromium driven by Playwright (the
helpers of tests/test_serve_e2e.py): Start, the draft screen, the cursor moved to OP1, a
screenshot of the whole page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from screenshots import DOC, negotiate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers

from tests.test_serve_e2e import (
    browser_page,
    open_landing,
    serving,
    start_app,
    wait_drawn,
)


def main() -> None:
    """Build the record, serve it, take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/served-app.png", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "wg"
        folder.mkdir(mode=0o700)
        svc = negotiate(folder / "wg.db")
        draft = svc.draft(DOC)
        title = draft.document.title
        steps = [p.uid for p in draft.paragraphs].index(draft.resolve("OP1").uid)
        svc.close()
        with serving(folder / "wg.db", Path(tmp) / "serve.log") as url, browser_page() as page:
            open_landing(page, url)
            start_app(page)
            wait_drawn(page, title[:40], "PP1 · ")
            for _ in range(steps):
                page.keyboard.press("j")
            wait_drawn(page, "OP1 · ")
            page.wait_for_timeout(500)  # the last frame settles
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=args.out)
    print(args.out)


if __name__ == "__main__":
    main()
