// The backward pass one node at a time. The page holds the final picture (what a reader sees when
// scripts do not run); this script rewinds it to the start and replays the steps from the data.
// Its keys stop here, so a notebook's own shortcuts (JupyterLab's arrows) never see them.
function ckStepper(box) {
  if (!box || box.getAttribute("data-ck-ready")) return;
  box.setAttribute("data-ck-ready", "1");
  var data = JSON.parse(box.querySelector("script.ck-data").textContent);
  var svg = box.querySelector("svg");
  var slider = box.querySelector(".ck-slider"), play = box.querySelector(".ck-play");
  var count = data.steps.length, position = 0, timer = null;
  function part(name) { return svg.querySelector('[id="' + data.prefix + name + '"]'); }
  function mark(name, cls) { var el = part(name); if (el) el.classList.add(cls); }
  var nodes = data.labels.map(function (label, i) {
    var g = part("v" + i);
    if (g) { g.classList.add("ck-node"); g.setAttribute("data-ck-label", label); }
    return g;
  });
  function show(k) {
    position = Math.max(0, Math.min(count, k));
    var grads = data.start.slice();
    ["ck-current", "ck-active", "ck-done"].forEach(function (cls) {
      Array.prototype.forEach.call(box.querySelectorAll("." + cls), function (el) { el.classList.remove(cls); });
    });
    for (var s = 0; s < position; s++) {
      var step = data.steps[s], now = s === position - 1;
      step.updates.forEach(function (u) { grads[u[0]] = u[1]; });
      step.edges.forEach(function (e) { mark("e" + e, now ? "ck-active" : "ck-done"); });
      if (now) { mark("v" + step.node, "ck-current"); mark("o" + step.node, "ck-current"); }
    }
    nodes.forEach(function (g, i) {
      if (!g) return;
      var texts = g.querySelectorAll("text");
      texts[texts.length - 1].textContent = "grad " + grads[i];
      g.setAttribute("data-ck-grad", grads[i]);
    });
    box.setAttribute("data-step", position);
    box.setAttribute("data-ck-current", position ? data.labels[data.steps[position - 1].node] : "");
    slider.value = position;
    box.querySelector(".ck-position").textContent = position + " / " + count;
    box.querySelector(".ck-status").textContent = position ? data.steps[position - 1].text : data.intro;
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = "▶ Play"; }
  function toggle() {
    if (timer) { stop(); return; }
    if (position >= count) show(0);
    play.textContent = "❚❚ Pause";
    timer = setInterval(function () { show(position + 1); if (position >= count) stop(); }, 900);
  }
  var keys = {
    ArrowLeft: function () { return position - 1; }, ArrowRight: function () { return position + 1; },
    Home: function () { return 0; }, End: function () { return count; }
  };
  box.addEventListener("keydown", function (e) {
    e.stopPropagation();
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (keys[e.key]) { stop(); show(keys[e.key]()); }
    else if (e.key === " " && e.target.tagName !== "BUTTON") toggle();
    else return;
    e.preventDefault();
  });
  box.querySelector(".ck-prev").addEventListener("click", function () { stop(); show(position - 1); });
  box.querySelector(".ck-next").addEventListener("click", function () { stop(); show(position + 1); });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  play.addEventListener("click", toggle);
  ckShow(box.querySelector(".ck-controls"));
  box.classList.add("ck-live");
  show(0);
}
