"""What a person sees of a `%%trace` output, read from the page: the picture and the stepper.

The same checks run in JupyterLab and on the exported HTML file, so they take a Playwright
locator and know nothing about where it lives. The stepper's hooks (classes and data
attributes) are documented in `coursekit/tracing/stepper.py`.
"""

import base64
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree

from playwright.sync_api import expect

SVG = "{http://www.w3.org/2000/svg}"
PLAY_TIMEOUT_MS = 120_000  # play advances about once a second; this only guards against a hang
RECORD = re.compile(r"^(data|grad) (\S+)$")
EDGE = re.compile(r"^(\S+) × (\S+) = (\S+)$")


def picture(output):
    """The graph's picture in an output: an inline <svg>, or the <img> JupyterLab makes of SVG."""
    return output.locator("svg, img[src^='data:image/svg+xml']").first


def svg_source(output):
    """The SVG text behind the picture, however the page embeds it."""
    element = picture(output)
    if element.evaluate("el => el.tagName.toLowerCase()") == "img":
        header, payload = element.get_attribute("src").split(",", 1)
        if header.endswith(";base64"):  # nbconvert's way; JupyterLab percent-encodes
            return base64.b64decode(payload).decode()
        return urllib.parse.unquote(payload)
    return element.evaluate("el => el.outerHTML")


def expect_picture_drawn(output):
    """The picture is on screen and the browser could actually draw it (not a broken image)."""
    element = picture(output)
    expect(element).to_be_visible()
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box["width"] > 50 and box["height"] > 20, f"the graph is drawn too small to read: {box}"
    if element.evaluate("el => el.tagName.toLowerCase()") == "img":
        assert element.evaluate("img => img.complete && img.naturalWidth > 0"), "the SVG image did not load"


READABLE_PX = 10  # the smallest text a student can read, as drawn


def smallest_text_px(output):
    """The smallest text of the drawing (its nodes and its edges' labels) as the browser draws it, in CSS pixels."""
    return picture(output).evaluate("""svg => {
        const scale = svg.getScreenCTM().a;  // user units (points) to screen pixels, zoom included
        const texts = svg.querySelectorAll('g.node text, g.edge text');
        const sizes = Array.from(texts, t => parseFloat(t.getAttribute('font-size')) * scale);
        return Math.min(...sizes);
    }""")


def view_box(output):
    """Where the drawing's scrolling box sits against its output, and how far it scrolls."""
    return output.locator(".ck-scroll").first.evaluate("""el => {
        const area = el.closest('.jp-OutputArea-output') || el.parentElement;
        const box = el.getBoundingClientRect(), outer = area.getBoundingClientRect();
        return {inside: box.left >= outer.left - 1 && box.right <= outer.right + 1,
                scrolls: el.scrollWidth > el.clientWidth + 1, width: el.clientWidth, scrollWidth: el.scrollWidth,
                scale: parseFloat(el.closest('.ck-view').getAttribute('data-ck-scale'))};
    }""")


def expect_readable(output, what="the drawing"):
    """Text at least READABLE_PX as drawn, and the drawing kept inside its output (it scrolls instead)."""
    expect_picture_drawn(output)
    box = view_box(output)
    assert smallest_text_px(output) >= READABLE_PX - 0.05, f"{what}: text drawn at {smallest_text_px(output):.1f} px, {box}"
    assert box["inside"], f"{what} spills out of its output: {box}"
    return box


def zoom(output, control):
    """Click one of the view's zoom controls (zoom-in, zoom-out, fit, actual); the new scale."""
    output.locator(f".ck-toolbar .ck-{control}").first.click()
    return view_box(output)["scale"]


def records(svg):
    """label -> (data, grad) for every `label | data | grad` record in the SVG."""
    found = {}
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        if "node" not in group.get("class", "").split():
            continue
        texts = [(text.text or "").strip() for text in group.iter(f"{SVG}text")]
        fields = dict(match.groups() for match in map(RECORD.match, texts[1:]) if match)
        if texts and "data" in fields:
            found[texts[0]] = (float(fields["data"]), float(fields.get("grad", "nan")))
    return found


def svg_texts(svg):
    return [(text.text or "").strip() for text in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def expect_values(svg, example):
    """Every value of the example is drawn with its name, data and hand-worked grad."""
    drawn = records(svg)
    for name, (data, grad) in example.values.items():
        assert name in drawn, f"value {name!r} is not drawn; the records are {sorted(drawn)}"
        assert drawn[name] == (data, grad), f"{name}: drawn (data, grad) {drawn[name]}, expected {(data, grad)}"


class Stepper:
    """The `--steps` view inside one output, driven through its buttons and slider."""

    def __init__(self, output):
        self.box = output.locator("div.ck-steps").first

    @property
    def count(self):
        return int(self.box.get_attribute("data-step-count"))

    def click(self, button):
        self.box.locator(f"button.ck-{button}").click()

    def slide_to(self, step):
        self.box.locator("input.ck-slider").fill(str(step))

    def expect_position(self, step, timeout=None):
        expect(self.box).to_have_attribute("data-step", str(step), timeout=timeout)
        expect(self.box.locator("span.ck-position")).to_have_text(f"{step} / {self.count}")

    def current(self):
        """Labels of the highlighted values (the stepper highlights one at a time)."""
        highlighted = self.box.locator("g.ck-node.ck-current").evaluate_all(
            "els => els.map(el => el.getAttribute('data-ck-label'))")
        announced = self.box.get_attribute("data-ck-current")
        assert announced == "".join(highlighted), f"data-ck-current={announced!r} but highlighted {highlighted}"
        return highlighted

    def highlight_stands_out(self):
        """The highlighted value's outline is drawn differently from the others' (CSS applied)."""
        return self.box.evaluate("""box => {
            const outline = g => { const s = getComputedStyle(g.querySelector('polygon'));
                                   return s.stroke + ' ' + s.strokeWidth; };
            const current = box.querySelector('g.ck-node.ck-current');
            const other = box.querySelector('g.ck-node:not(.ck-current)');
            return outline(current) !== outline(other);
        }""")

    def active_edges(self):
        """(upstream, local, contribution) written on each edge the current step sends grads along,
        counting only labels a person can see."""
        texts = self.box.locator("g.edge.ck-active text").evaluate_all(
            "els => els.filter(el => getComputedStyle(el).visibility === 'visible').map(el => el.textContent)")
        products = []
        for text in texts:
            match = EDGE.match(text.strip())
            assert match, f"an active edge says {text!r}, not 'upstream × local = contribution'"
            products.append(tuple(map(float, match.groups())))
        return products

    def shown_grads(self):
        """label -> the grad written in its record, as a person reads it on screen."""
        pairs = self.box.locator("g.ck-node").evaluate_all("""els => els.map(el => {
            const texts = el.querySelectorAll('text');
            return [el.getAttribute('data-ck-label'), texts[texts.length - 1].textContent];
        })""")
        shown = {}
        for label, text in pairs:
            match = RECORD.match(text.strip())
            assert match and match.group(1) == "grad", f"{label}: the record ends in {text!r}, not 'grad N'"
            shown[label] = float(match.group(2))
        return shown


def replay_backward(example, order):
    """The grads after each step, when the values are processed in `order` (the oracle)."""
    grads = dict.fromkeys(example.values, 0.0)
    grads[example.root] = 1.0
    after = [dict(grads)]
    for name in order:
        for child, local in example.inputs.get(name, []):
            grads[child] += grads[name] * local
        after.append(dict(grads))
    return after


def assert_reverse_topological(example, order):
    assert sorted(order) == sorted(example.values), f"the steps visit {order}, not each value once"
    for name, inputs in example.inputs.items():
        for child, _ in inputs:
            assert order.index(name) < order.index(child), f"{child} is processed before its user {name}: {order}"


def check_edge_labels(example, name, grads, products):
    """The edges lit at `name`'s step carry its grad times each local gradient, one per input."""
    expected = sorted(local for _, local in example.inputs.get(name, []))
    assert sorted(local for _, local, _ in products) == expected, f"{name}: edge labels {products}"
    for upstream, local, contribution in products:
        assert upstream == grads[name] and contribution == upstream * local, f"{name}: edge label {products}"


def check_stepper(output, example):
    """Walk the example's backward pass with every control the stepper has.

    Next, step by step: one value highlighted at a time, in reverse topological order, its
    edges labelled upstream × local = contribution, and the grads on screen exactly the ones
    accumulated so far. Then Prev, the slider, Play.
    """
    stepper = Stepper(output)
    expect(stepper.box).to_be_visible()
    expect(stepper.box.locator("svg")).to_be_visible()
    assert stepper.count == len(example.values), f"{stepper.count} steps for {len(example.values)} values"
    stepper.expect_position(0)
    assert stepper.current() == []
    assert stepper.shown_grads() == replay_backward(example, [])[0]

    order, shown = [], [stepper.shown_grads()]
    for step in range(1, stepper.count + 1):
        stepper.click("next")
        stepper.expect_position(step)
        highlighted = stepper.current()
        assert len(highlighted) == 1, f"step {step} highlights {highlighted}"
        assert stepper.highlight_stands_out(), f"step {step}: the highlighted value looks like the others"
        order += highlighted
        shown.append(stepper.shown_grads())
        check_edge_labels(example, highlighted[0], shown[-1], stepper.active_edges())
    assert_reverse_topological(example, order)
    assert shown == replay_backward(example, order), "the grads shown do not follow the backward pass"
    assert shown[-1] == {name: grad for name, (_, grad) in example.values.items()}

    stepper.click("next")  # already at the end: stays there
    stepper.expect_position(stepper.count)
    stepper.click("prev")
    stepper.expect_position(stepper.count - 1)
    assert stepper.current() == [order[-2]]
    assert stepper.shown_grads() == shown[-2]

    middle = stepper.count // 2
    stepper.slide_to(middle)
    stepper.expect_position(middle)
    assert stepper.current() == [order[middle - 1]]
    assert stepper.shown_grads() == shown[middle]
    stepper.slide_to(0)
    stepper.expect_position(0)
    assert stepper.current() == []

    stepper.click("play")
    stepper.expect_position(stepper.count, timeout=PLAY_TIMEOUT_MS)
    expect(stepper.box.locator("button.ck-play")).to_have_text(re.compile("Play"))
    assert stepper.current() == [order[-1]]
    assert stepper.shown_grads() == shown[-1]
    return order
