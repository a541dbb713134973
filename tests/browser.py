"""A small driver for headless Chromium over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: commands on the child's fd 3, answers on its fd 4, each a JSON
message ended by a NUL byte), so that the tests can click links and read the page the
browser shows without a websocket package or a browser download. Every wait is bounded."""
from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MISSING = ("Chromium is missing: `make test` installs Debian's chromium when run as root "
           "(apt-get install chromium); CI does")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--hide-scrollbars",
         "--remote-debugging-pipe")
TIMEOUT = 30.0


class Browser:
    def __init__(self, profile: Path) -> None:
        assert CHROMIUM, MISSING
        to_child_r, self._to_child = _high(os.pipe())
        self._from_child, from_child_w = _high(os.pipe())
        # the child reads commands on fd 3 and writes answers on fd 4 (bash puts them
        # there: dash knows no fd above 9)
        command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$@" 3<&{to_child_r} 4>&{from_child_w}', "bash", *command],
            pass_fds=(to_child_r, from_child_w), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer, self._next, self.events = b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    # ------------------------------------------------------------ protocol
    def call(self, method: str, session: bool = False, **params) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self._next:
                assert "error" not in answer, (method, answer["error"])
                return answer["result"]
            self.events.append(answer)

    def _receive(self) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_child], [], [],
                                        max(0.0, deadline - time.monotonic()))
            assert ready, f"no answer from Chromium within {TIMEOUT} s"
            chunk = os.read(self._from_child, 1 << 20)
            assert chunk, "Chromium closed the pipe"
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def wait_for(self, event: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for i, message in enumerate(self.events):
                if message.get("method") == event:
                    del self.events[: i + 1]
                    return message["params"]
            self.events.append(self._receive())
        raise AssertionError(f"no {event} within {TIMEOUT} s")

    # ------------------------------------------------------------ pages
    def size(self, width: int, height: int) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width,
                  height=height, deviceScaleFactor=1, mobile=width < 600)

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def click(self, selector: str, same_page: bool = False) -> None:
        """Click the first element matching ``selector`` and wait for where it leads."""
        self.events.clear()
        assert self.js(f"!!document.querySelector({json.dumps(selector)})"), selector
        self.js(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_for("Page.navigatedWithinDocument" if same_page else "Page.loadEventFired")

    def download(self, selector: str, folder: Path) -> Path:
        """Click a download link; the file the browser saved in ``folder``."""
        self.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(folder),
                  eventsEnabled=True)
        self.events.clear()
        self.js(f"document.querySelector({json.dumps(selector)}).click()")
        name = self.wait_for("Browser.downloadWillBegin")["suggestedFilename"]
        while self.wait_for("Browser.downloadProgress")["state"] != "completed":
            pass
        return folder / name

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", session=True,
                                          format="png")["data"])

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except AssertionError:
            pass
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        os.close(self._to_child)
        os.close(self._from_child)


def _high(fds: tuple[int, int]) -> tuple[int, int]:
    """The pipe's ends moved above 9, clear of the 3 and 4 the child is given."""
    moved = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in fds)
    for fd in fds:
        os.close(fd)
    return moved[0], moved[1]
