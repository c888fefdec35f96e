"""Make the README's screenshots: a small negotiation on the Third Work Plan, then each screen.

Run: .venv/bin/python scripts/screenshots.py [--out docs] [--png]

It builds a fresh record in a temporary folder (the shipped starting plan, a revision, an
insertion that becomes `OP.. bis`, amendments, positions, a reservation), opens the TUI
headless at 120x36 as the secretariat and saves one SVG per screen into `--out`. With `--png`,
headless Chromium also renders each SVG to a PNG beside it (for looking at them).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from demo_record import chromium, start_record

from workplan.service import Service
from workplan.tui.app import make_app
from workplan.tui.widgets.outline import Outline

DOC = "third-work-plan"
SIZE = (120, 36)


def negotiate(db_path: Path) -> Service:
    """A record with a little of everything the screens show."""
    svc, as_ = start_record(db_path)
    as_("SECRETARIAT").revise(DOC)
    draft = svc.draft(DOC)
    ops = [r for r in draft.refs.values() if r.startswith("OP")]
    first, second, third = ops[0], ops[1], ops[2]
    ins = as_("BRA").propose(
        DOC,
        second,
        "insert",
        text="Strengthen cooperation among border, labour and consular authorities to identify"
        " victims early.",
    )
    as_("CHAIR").decide(DOC, ins.id, "accept")
    bis = f"{second} bis"
    text = svc.draft(DOC).resolve(first).text
    am = as_("CAN").propose(
        DOC,
        first,
        "modify",
        text=text.rstrip(".") + ", with gender and age perspectives.",
        cosponsors=["MEX"],
    )
    as_("USA").record_position(DOC, am.id, "support")
    as_("JAM").record_position(DOC, bis, "support")
    as_("PER").record_position(DOC, bis, "ad-ref")
    as_("ARG").record_position(DOC, third, "object")
    as_("LCA").reserve(
        DOC,
        [third],
        text="The Government of Saint Lucia joins the consensus on this paragraph on the"
        " understanding that it will be implemented in accordance with its national law.",
    )
    as_("CHAIR").agree(DOC, [ops[3]])
    as_("CHAIR").silence(DOC, [ops[4]], "+72h")
    return svc


async def shoot(svc: Service, out: Path) -> list[Path]:
    """One SVG per screen."""
    app = make_app(svc)
    written = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        outline = app.screen.query_one(Outline)
        target = svc.draft(DOC).resolve("OP1").uid
        while outline.current_uid != target:
            await pilot.press("j")
        await pilot.pause()
        screens = [
            ("draft-screen", None),
            ("dashboard", "d"),
            ("diff-screen", "v"),
            ("record-screen", "l"),
        ]
        for name, key in screens:
            if key:
                await pilot.press(key)
                await pilot.pause()
                if key == "v":
                    await pilot.press("c")
                    await pilot.pause()
            await pilot.pause(0.3)
            path = out / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(out))
            written.append(path)
            if key:
                await pilot.press("escape")
                await pilot.pause()
    return written


def to_png(svg: Path) -> None:
    """Render an SVG to a PNG beside it with headless Chromium."""
    chromium(
        "--window-size=1480,960",
        f"--screenshot={svg.with_suffix('.png')}",
        svg.resolve().as_uri(),
        timeout=60,
    )


def main() -> None:
    """Build the record, take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs", type=Path)
    parser.add_argument("--png", action="store_true", help="also render PNGs with Chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "wg"
        folder.mkdir(mode=0o700)
        svc = negotiate(folder / "wg.db")
        written = asyncio.run(shoot(svc, args.out.resolve()))
        svc.close()
    for path in written:
        print(path)
        if args.png:
            to_png(path)


if __name__ == "__main__":
    main()
