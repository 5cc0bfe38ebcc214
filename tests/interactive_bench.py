"""Benchmark of the interactive page in headless Chromium (not a test: it prints numbers).

    .venv/bin/python tests/interactive_bench.py [SITE_DIR]

Uses the built site in SITE_DIR (default: site/, built with `mkdocs build` if missing)
and measures, on this machine:

- the playground's full-batch training steps per second on 200 points, in the core
  alone (target: >= 600 steps/s) and in the widget while it trains and redraws (it
  is paced at 600 steps/s; target: it keeps that pace);
- 1000 Monte Carlo dropout passes of the exported network (target: < 100 ms).
"""

from __future__ import annotations

import functools
import http.server
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM_ARGS, find_chromium  # noqa: E402

CORE_TRAINING = """() => {
    const net = new DropoutCore.Playground({ rate: 0.5, trainSize: 200, noise: 0.3, seed: 3 });
    net.run(50);  // warm up the JIT
    const started = performance.now();
    net.run(1000);  // losses recorded every 10 steps, as in the widget
    return 1000 / ((performance.now() - started) / 1000);
}"""

MONTE_CARLO = """async (url) => {
    const model = DropoutCore.parseModel(await (await fetch(url)).json());
    const times = [];
    for (let run = 0; run < 30; run++) {
        const started = performance.now();
        DropoutCore.mcDropout(model, model.xTest[run], model.rate, 1000, DropoutCore.rng(run));
        times.push(performance.now() - started);
    }
    return times;
}"""

COUNT_FRAMES = """(seconds) => new Promise((resolve) => {
    const readout = document.querySelector('[data-widget=playground] .dropout-readout');
    const first = Number(readout.dataset.step);
    let frames = 0;
    const started = performance.now();
    const count = (now) => {
        frames += 1;
        if (now - started < seconds * 1000) requestAnimationFrame(count);
        else resolve({
            steps: Number(readout.dataset.step) - first,
            frames: frames,
            seconds: (now - started) / 1000,
        });
    };
    requestAnimationFrame(count);
})"""


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    if not (site / "interactive" / "index.html").exists():
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], check=True
        )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "interactive/")
        for name in ("mc", "playground"):  # widgets are built when scrolled near
            page.locator(f"[data-widget={name}]").scroll_into_view_if_needed()
            page.wait_for_selector(f"[data-widget={name}][data-ready=true]")

        core = [page.evaluate(CORE_TRAINING) for _ in range(3)]
        print(f"playground core, 200 points: {statistics.median(core):.0f} full-batch steps/s")

        widget = page.locator("[data-widget=playground]")
        widget.get_by_label("Training points").fill("200")
        widget.get_by_role("button", name="Train").click()
        live = page.evaluate(COUNT_FRAMES, 3)
        widget.get_by_role("button", name="Pause").click()
        print(
            f"playground widget, 200 points, training and redrawing: "
            f"{live['steps'] / live['seconds']:.0f} steps/s at "
            f"{live['frames'] / live['seconds']:.0f} frames/s"
        )

        times = page.evaluate(
            MONTE_CARLO, url + "figures/complete_example/complete_example_model.json"
        )
        print(
            f"Monte Carlo dropout, 1000 passes: median {statistics.median(times):.1f} ms, "
            f"max {max(times):.1f} ms over {len(times)} runs"
        )
        mc = page.locator("[data-widget=mc]")
        mc.get_by_label("Passes N").fill("1000")
        shown = float(mc.locator(".dropout-readout").get_attribute("data-milliseconds"))
        print(f"Monte Carlo widget, 1000 passes with drawing: {shown:.1f} ms (computation only)")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
