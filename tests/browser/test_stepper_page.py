"""The --steps view in a real (headless) browser: a saved page, clicked through offline."""

import html
import json
import re
import subprocess

import pytest

from coursekit import Value, trace
from coursekit.tracing.drawing import html_page
from coursekit.tracing.stepper import steps_html

# Clicks like a user, writing what the page shows after each action into <pre id="probe">; then
# presses Play, whose timer runs to the end within the browser's virtual time budget.
ACTIONS = """
var box = document.querySelector(".ck-steps"), states = [];
function probe(what) {
  var grads = {};
  box.querySelectorAll("g.ck-node").forEach(function (g) { grads[g.getAttribute("data-ck-label")] = g.getAttribute("data-ck-grad"); });
  states.push({what: what, step: box.getAttribute("data-step"), current: box.getAttribute("data-ck-current"),
               grads: grads, active: box.querySelectorAll("g.edge.ck-active").length,
               highlighted: box.querySelectorAll("g.node.ck-current").length,
               status: box.querySelector(".ck-status").textContent});
}
function click(name) { box.querySelector(".ck-" + name).click(); }
probe("start");
click("next"); click("next"); click("next"); probe("next x3");
click("prev"); probe("prev");
var slider = box.querySelector(".ck-slider"); slider.value = 5; slider.dispatchEvent(new Event("input")); probe("slider 5");
document.getElementById("probe").textContent = JSON.stringify(states);
click("play");
"""


def textbook():
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    return dict(a=a, b=b, c=c, f=f, e=e, d=d, L=d * f)


@pytest.fixture(scope="module")
def saved_page(tmp_path_factory, chromium_executable):
    values = textbook()
    names = {id(value): name for name, value in values.items()}
    fragment = steps_html(trace(values["L"], names=names))
    path = tmp_path_factory.mktemp("browser") / "steps.html"
    path.write_text(html_page(fragment + '<pre id="probe"></pre><script>' + ACTIONS + "</script>"))
    done = subprocess.run(
        [chromium_executable, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    states = json.loads(html.unescape(re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S).group(1)))
    return {s["what"]: s for s in states}, done.stdout


def test_start_shows_only_the_root_grad(saved_page):
    states, _ = saved_page
    start = states["start"]
    assert start["step"] == "0" and start["current"] == "" and start["highlighted"] == 0
    assert start["grads"] == {"L": "1", "f": "0", "d": "0", "c": "0", "e": "0", "b": "0", "a": "0"}
    assert start["status"].startswith("Start: L.grad = 1")


def test_next_and_prev_walk_the_backward_pass(saved_page):
    states, _ = saved_page
    third = states["next x3"]
    assert third["step"] == "3" and third["current"] == "d"
    assert third["active"] == 2 and third["highlighted"] == 2  # d's record and its + node
    assert third["grads"] == {"L": "1", "f": "4", "d": "-2", "c": "-2", "e": "-2", "b": "0", "a": "0"}
    back = states["prev"]
    assert back["step"] == "2" and back["current"] == "f" and back["active"] == 0  # a leaf sends nothing on
    assert back["grads"]["c"] == "0" and back["status"] == "Step 2 of 7: f is a leaf: its grad 4 is final."


def test_slider_jumps_and_play_runs_to_the_end(saved_page):
    states, dom = saved_page
    jumped = states["slider 5"]
    assert jumped["step"] == "5" and jumped["current"] == "e"
    assert jumped["grads"] == {"L": "1", "f": "4", "d": "-2", "c": "-2", "e": "-2", "b": "-4", "a": "6"}
    box = re.search(r'<div class="ck-steps[^"]*"[^>]*>', dom).group(0)
    assert 'data-step="7"' in box and 'data-ck-current="a"' in box
    assert re.search(r'class="ck-play">▶ Play<', dom)  # play stopped by itself at the end
