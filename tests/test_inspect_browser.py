"""The HTML report in a real headless Chromium: coloured token spans of both types on screen, working script, and
no console errors.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: commands on fd 3, replies
on fd 4, NUL-separated JSON), which gives console messages and exceptions as events, lets the test read the DOM
after the script ran, and screenshot exactly the token area (so the histogram's colours cannot satisfy the check).
The test is skipped only when no chromium binary is installed (CI installs Debian's ``chromium``).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import io
import json
import os
import select
import subprocess
import time

import pytest

from archer_trl.cli.inspect import main
from archer_trl.inspect.html import KNOWLEDGE_RGB, REASONING_RGB
from archer_trl.inspect.screenshot import HEADLESS_FLAGS, find_chromium, screenshot

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


def _above_4(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, profile_dir: str, width: int = 1200, height: int = 900) -> None:
        # Keep our pipe ends above 4 so that the dup2 calls below cannot clobber one of them.
        to_chrome_r, self._to_chrome = (_above_4(fd) for fd in os.pipe())
        self._from_chrome, from_chrome_w = (_above_4(fd) for fd in os.pipe())

        def wire_pipes() -> None:  # in the child: Chromium expects the pipe on fds 3 (read) and 4 (write)
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *HEADLESS_FLAGS, f"--user-data-dir={profile_dir}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._from_chrome], [], [], remaining)[0]:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the debugging pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, timeout: float = 60.0, **params) -> dict:
        self._next_id += 1
        request = {"id": self._next_id, "method": method, "params": params}
        if session:
            request["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for_event(self, method: str, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            message = self._read_message(deadline)
            self.events.append(message)
            if message.get("method") == method:
                return message

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_problems(self) -> list[str]:
        """Every console message, uncaught exception and browser log error/warning seen so far."""
        problems = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                problems.append(f"console.{params.get('type')}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                problems.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
                problems.append(f"log: {params['entry']}")
        return problems

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):  # it may exit before replying
            self.call("Browser.close", timeout=10)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def colour_pixels(png: bytes, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for pixel in image.getdata() if all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb)))


@pytest.fixture(scope="module")
def report(tiny_model_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    prompts = folder / "prompts.txt"
    prompts.write_text("What is 17 plus 25?\nName a prime larger than 10.\n")
    path = folder / "report.html"
    argv = ["--model", tiny_model_dir, "--prompts", str(prompts), "--num-generations", "3", "--max-new-tokens", "60"]
    argv += ["--min-new-tokens", "40", "--compare-quantile", "0.6", "-o", str(path), "--print", "0", "--no-progress"]
    assert main(argv) == 0
    return path


def test_report_renders_coloured_tokens_without_console_errors(report, tmp_path):
    browser = DevTools(str(tmp_path / "profile"))
    try:
        browser.call("Page.navigate", session=True, url=report.as_uri())
        browser.wait_for_event("Page.loadEventFired")
        assert browser.evaluate("document.body.classList.contains('js')")  # the page script ran to its end
        counts = browser.evaluate(
            "[document.querySelectorAll('.toks .t.r').length, document.querySelectorAll('.toks .t.k').length,"
            " document.querySelectorAll('.toks .t.x').length]"
        )
        assert counts[0] > 0 and counts[1] > 0 and counts[2] > 0

        # Screenshot only the first response's token row: both colours must be on screen there.
        box = browser.evaluate(
            "(function(){var r=document.querySelector('.row .toks').getBoundingClientRect();"
            "return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height];})()"
        )
        clip = {"x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 1}
        shot = browser.call(
            "Page.captureScreenshot", session=True, format="png", clip=clip, captureBeyondViewport=True
        )
        png = base64.b64decode(shot["data"])
        assert colour_pixels(png, REASONING_RGB) > 100
        assert colour_pixels(png, KNOWLEDGE_RGB) > 100

        # The rho slider (driven like a user would) re-types tokens: lower rho, more reasoning tokens.
        before = browser.evaluate("document.querySelectorAll('.row[data-v=a] .t.r').length")
        browser.evaluate(
            "(function(){var s=document.getElementById('rho'); s.value=0; s.dispatchEvent(new Event('input'));})()"
        )
        after = browser.evaluate("document.querySelectorAll('.row[data-v=a] .t.r').length")
        rho = browser.evaluate("document.getElementById('rhov').textContent")
        assert rho == "0.5" and after > before
        # Hovering a token fills in its entropy and threshold.
        browser.evaluate(
            "document.querySelector('.toks .t').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))"
        )
        assert browser.evaluate("document.querySelector('.toks .t').title").startswith("H = ")
        assert browser.console_problems() == []
    finally:
        browser.close()


def test_cli_screenshot_shows_both_colours(report, tmp_path):
    png_path = screenshot(report, tmp_path / "report.png", 1200, 900)
    png = png_path.read_bytes()
    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (1200, 900)
    assert colour_pixels(png, REASONING_RGB) > 500 and colour_pixels(png, KNOWLEDGE_RGB) > 500
