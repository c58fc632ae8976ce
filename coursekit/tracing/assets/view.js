// Pan and zoom for a drawing inside its own output: it is shown at a readable size and scrolls
// (or is dragged) when wider than the column, opening on its inputs; asked to (`--fit`), it opens
// whole, as an overview. A click on a part of a drawing too small to read zooms there to a
// readable size. The toolbar zooms, fits it whole, or resets to 1:1.
// Without JavaScript the same markup still scrolls, at the drawing's natural size: the SVG comes as
// an <img> (what a sanitiser keeps), turned here into inline SVG that the stepper can restyle.
function ckInlineSvg(scroll) {
  var img = scroll.querySelector("img.ck-picture");
  if (!img) return scroll.querySelector("svg");
  var binary = atob(img.getAttribute("src").split(",")[1]), bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  var text = new TextDecoder("utf-8").decode(bytes);
  scroll.innerHTML = text.slice(text.indexOf("<svg"));
  return scroll.querySelector("svg");
}
function ckShow(el) { if (el) { el.hidden = false; el.style.display = ""; } }
function ckView(box) {
  if (!box || box.getAttribute("data-ck-view")) return;
  box.setAttribute("data-ck-view", "1");
  var scroll = box.querySelector(".ck-scroll"), svg = ckInlineSvg(scroll);
  var bar = box.querySelector(".ck-toolbar"), level = box.querySelector(".ck-zoom-level");
  var box_ = svg.viewBox.baseVal, width = box_.width * 4 / 3, height = box_.height * 4 / 3;  // pt -> px
  var readable = parseFloat(box.getAttribute("data-ck-readable-scale")) || 0.7;
  var scale = 1, touched = false;
  function zoom(next) {
    var cx = (scroll.scrollLeft + scroll.clientWidth / 2) / scale, cy = (scroll.scrollTop + scroll.clientHeight / 2) / scale;
    scale = Math.max(0.05, Math.min(4, next));
    svg.style.width = width * scale + "px";
    svg.style.height = height * scale + "px";
    svg.style.maxWidth = "none";  // notebooks shrink pictures to the column (max-width: 100%): not this one
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    scroll.scrollLeft = cx * scale - scroll.clientWidth / 2;
    scroll.scrollTop = cy * scale - scroll.clientHeight / 2;
    box.setAttribute("data-ck-scale", scale.toFixed(3));
    level.textContent = Math.round(scale * 100) + "%" + (scale < readable - 0.001 ? ": click a part to read it" : "");
  }
  function fitScale() {
    var tall = parseFloat(getComputedStyle(scroll).maxHeight) || Infinity;
    return Math.min(scroll.clientWidth / width, tall / height);
  }
  function inputs() {  // the box around the values nothing was computed from (no edge comes into them)
    var heads = {}, box = null;
    svg.querySelectorAll("g.edge > title").forEach(function (t) { heads[t.textContent.split("->")[1]] = true; });
    svg.querySelectorAll("g.node").forEach(function (node) {
      var title = node.querySelector("title");
      if (!title || heads[title.textContent]) return;
      var at = node.getBoundingClientRect();
      box = box ? {left: Math.min(box.left, at.left), top: Math.min(box.top, at.top),
                   right: Math.max(box.right, at.right), bottom: Math.max(box.bottom, at.bottom)}
                : {left: at.left, top: at.top, right: at.right, bottom: at.bottom};
    });
    return box;
  }
  function toward(start, end, viewStart, size) {  // centred when it fits, else from its start (and a margin)
    return end - start > size ? start - viewStart - 16 : (start + end) / 2 - viewStart - size / 2;
  }
  function reveal() {  // a drawing that scrolls opens on its inputs, where a reader starts
    var box = inputs(), view = scroll.getBoundingClientRect();
    if (!box) return;
    scroll.scrollLeft += toward(box.left, box.right, view.left, scroll.clientWidth);
    scroll.scrollTop += toward(box.top, box.bottom, view.top, scroll.clientHeight);
  }
  function settle() {  // until the reader zooms or pans: the whole width if that stays readable, else
    if (touched || !scroll.clientWidth) return;  // readable, scrolling, with the inputs in view; asked
    var fits = scroll.clientWidth / width;  // for (--fit), whole as an overview, to click into
    zoom(whole ? fitScale() : Math.max(readable, Math.min(1, fits)));
    if (scale >= readable) reveal();
  }
  function readAt(e) {  // a click on a drawing shown too small to read zooms to a readable size there
    if (scale >= readable - 0.001) return;
    var at = svg.getBoundingClientRect(), x = (e.clientX - at.left) / scale, y = (e.clientY - at.top) / scale;
    zoom(readable);
    scroll.scrollLeft = x * scale - scroll.clientWidth / 2;
    scroll.scrollTop = y * scale - scroll.clientHeight / 2;
  }
  function act(name, how) {
    var button = bar.querySelector(".ck-" + name);
    button.addEventListener("click", function () { touched = true; zoom(how()); });
  }
  act("zoom-in", function () { return scale * 1.25; });
  act("zoom-out", function () { return scale / 1.25; });
  act("fit", fitScale);
  act("actual", function () { return 1; });
  var drag = null, whole = box.getAttribute("data-ck-fit") === "1";
  scroll.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) return;
    drag = {x: e.clientX, y: e.clientY, left: scroll.scrollLeft, top: scroll.scrollTop};
    touched = true;
    scroll.classList.add("ck-dragging");
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag) return;
    scroll.scrollLeft = drag.left - (e.clientX - drag.x);
    scroll.scrollTop = drag.top - (e.clientY - drag.y);
  });
  window.addEventListener("pointerup", function (e) {
    if (drag && Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 4) readAt(e);
    drag = null;
    scroll.classList.remove("ck-dragging");
  });
  ckShow(bar);
  zoom(1);
  settle();
  if (window.ResizeObserver) new ResizeObserver(settle).observe(scroll);
}
