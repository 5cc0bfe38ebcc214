// The widgets of the interactive page. Each is a <div class="dropout-widget"
// data-widget="mask|mc|playground|attention"> in the page's Markdown, which carries the
// widget's text in the page's language as data-t-* attributes and a fallback
// paragraph for readers without JavaScript. The arithmetic is in dropout-core.js.
(function () {
  "use strict";
  const C = window.DropoutCore;
  const SVG = "http://www.w3.org/2000/svg";
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  // The playground's Train button: 3000 steps take 5 s, long enough to watch the
  // gap open and to pause (unpaced, a desktop ran them in half a second).
  const STEPS_PER_SECOND = 600;
  let counter = 0;

  // --- Small helpers -------------------------------------------------------------

  /** The widget's text for `key` (data-t-key), with {name} filled in from `values`. */
  function text(widget, key, values) {
    const attribute = "t" + key.charAt(0).toUpperCase() + key.slice(1).replace(/-(\w)/g, (_, c) => c.toUpperCase());
    const template = widget.dataset[attribute];
    if (template === undefined) return "[" + key + "]"; // loud: a string is missing from the page
    return template.replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? values[name] : "{" + name + "}"));
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    });
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  function svgElement(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    return node;
  }

  function format(value, digits) {
    return Number(value).toFixed(digits === undefined ? 3 : digits);
  }

  /** A labelled range input with the current value shown in an <output>. */
  function slider(widget, key, min, max, step, value, digits) {
    const id = "dropout-" + key + "-" + ++counter;
    const input = element("input", { type: "range", id: id, min: min, max: max, step: step, value: value, name: key });
    const output = element("output", { for: id, text: format(value, digits) });
    input.addEventListener("input", () => {
      output.textContent = format(valueOf(input), digits);
    });
    const label = element("label", { for: id, text: text(widget, key) });
    return { input: input, output: output, node: element("div", { class: "dropout-control" }, [label, input, output]) };
  }

  /** A labelled number input for a test example, 1 … count. */
  function exampleInput(widget, count) {
    const id = "dropout-example-" + ++counter;
    const input = element("input", { type: "number", id: id, min: 1, max: count, step: 1, value: 1, name: "example", inputmode: "numeric" });
    const label = element("label", { for: id, text: text(widget, "example", { count: count }) });
    return { input: input, node: element("div", { class: "dropout-control" }, [label, input]) };
  }

  /** The input's value, clamped to its own min and max (and written back when it was out of range). */
  function valueOf(input) {
    const min = Number(input.min);
    const max = Number(input.max);
    const value = C.clamp(input.value === "" ? min : input.value, min, max);
    if (input.value === "" || Number(input.value) !== value) input.value = String(value);
    return value;
  }

  function exampleIndex(input) {
    return Math.round(valueOf(input)) - 1;
  }

  function showError(widget, message) {
    widget.classList.add("dropout-widget--error");
    widget.querySelectorAll(".dropout-ui").forEach((node) => node.remove());
    widget.append(element("p", { class: "dropout-error", role: "alert", text: message }));
  }

  function ready(widget, ui) {
    widget.querySelectorAll(".dropout-fallback").forEach((node) => (node.hidden = true));
    ui.classList.add("dropout-ui");
    widget.append(ui);
    widget.dataset.ready = "true";
  }

  // --- The trained model, shared by the mask explorer and MC dropout -------------

  const models = {};
  function loadModel(url, parse) {
    if (!models[url]) {
      models[url] = fetch(url)
        .then((response) => {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then((data) => parse(data));
    }
    return models[url];
  }

  function withModel(widget, build) {
    const parse = widget.dataset.widget === "attention" ? C.parseAttention : C.parseModel;
    loadModel(new URL(widget.dataset.model, document.baseURI).href, parse)
      .then((model) => build(widget, model))
      .catch((error) => showError(widget, text(widget, "error", { reason: error.message })));
  }

  // --- 1. The mask explorer --------------------------------------------------------

  /** Positions of a layer's units as a grid of `columns`. */
  function grid(count, columns, left, top, cell) {
    return Array.from({ length: count }, (_, i) => ({
      x: left + (i % columns) * cell,
      y: top + Math.floor(i / columns) * cell,
    }));
  }

  // A group of radio buttons under a legend, the first one checked.
  function radioGroup(widget, legend, values, label) {
    const name = "dropout-radio-" + ++counter;
    const options = values.map((value, i) => {
      const input = element("input", { type: "radio", name: name, value: value });
      if (i === 0) input.checked = true;
      return { input: input, node: element("label", { class: "dropout-radio" }, [input, " " + label(value)]) };
    });
    const node = element("fieldset", { class: "dropout-control" }, [
      element("legend", { text: text(widget, legend) }),
      ...options.map((o) => o.node),
    ]);
    return { options: options, node: node };
  }

  function buildMaskExplorer(widget, model) {
    const count = model.xTest.length;
    const example = exampleInput(widget, count);
    const rate = slider(widget, "rate", 0, 0.9, 0.05, model.rate, 2);
    const modeGroup = radioGroup(widget, "mode", ["training", "inference"], (mode) => text(widget, mode));
    const modes = modeGroup.options;
    const modeField = modeGroup.node;
    const newMask = element("button", { type: "button", class: "md-button", text: text(widget, "newMask") });
    const controls = element("div", { class: "dropout-controls" }, [example.node, rate.node, modeField, newMask]);

    // The network: input 20 as 4 × 5, each hidden layer of 64 as 8 × 8, one output.
    const cell = 16;
    const sizes = [model.layers[0].inputs].concat(model.layers.map((l) => l.units));
    const columns = sizes.map((n, i) => (i === 0 ? 4 : i === sizes.length - 1 ? 1 : Math.ceil(Math.sqrt(n))));
    const gap = 56;
    let left = 8;
    const top = 28;
    const blocks = sizes.map((n, i) => {
      const block = { left: left, count: n, cells: grid(n, columns[i], left, top, cell) };
      block.width = columns[i] * cell;
      block.height = Math.ceil(n / columns[i]) * cell;
      left += block.width + gap;
      return block;
    });
    const width = left - gap + 48; // room for the output's label and value
    const height = top + Math.max(...blocks.map((b) => b.height)) + 8;
    const svg = svgElement("svg", { viewBox: "0 0 " + width + " " + height, class: "dropout-network", role: "img" });
    const titles = [text(widget, "inputLayer")].concat(
      model.layers.slice(0, -1).map((_, i) => text(widget, "hiddenLayer", { n: i + 1 })),
      [text(widget, "outputLayer")],
    );
    const units = blocks.map((block, b) => {
      const label = svgElement("text", { x: block.left, y: 16, class: "dropout-network__label" });
      label.textContent = titles[b];
      svg.append(label);
      if (b > 0) {
        const from = blocks[b - 1];
        const y = top + Math.min(block.height, from.height) / 2;
        svg.append(svgElement("line", { x1: from.left + from.width + 6, y1: y, x2: block.left - 8, y2: y, class: "dropout-network__arrow" }));
        svg.append(svgElement("path", { d: `M${block.left - 8},${y - 4} L${block.left - 2},${y} L${block.left - 8},${y + 4} Z`, class: "dropout-network__head" }));
      }
      return block.cells.map((p) => {
        const g = svgElement("g", { class: "unit" });
        g.append(svgElement("rect", { x: p.x, y: p.y, width: cell - 3, height: cell - 3, rx: 3 }));
        const cross = svgElement("path", { d: `M${p.x + 3},${p.y + 3} L${p.x + cell - 6},${p.y + cell - 6} M${p.x + cell - 6},${p.y + 3} L${p.x + 3},${p.y + cell - 6}`, class: "unit__cross" });
        g.append(cross);
        g.append(svgElement("title"));
        svg.append(g);
        return g;
      });
    });
    const outputBlock = blocks[blocks.length - 1];
    const outputText = svgElement("text", { x: outputBlock.left, y: top + cell + 14, class: "dropout-network__value" });
    svg.append(outputText);

    const readout = element("p", { class: "dropout-readout", "aria-live": "polite" });
    const layersReadout = element("p", { class: "dropout-readout dropout-readout--small" });
    const figure = element("div", { class: "dropout-figure" }, [svg]);
    const ui = element("div", {}, [controls, figure, readout, layersReadout]);

    let seed = 1;
    let masks = null;
    const training = () => modes[0].input.checked;

    function resample() {
      const r = valueOf(rate.input);
      masks = C.sampleMasks(model, r, C.rng(seed));
    }

    function draw() {
      const index = exampleIndex(example.input);
      const x = model.xTest[index];
      const r = valueOf(rate.input);
      const on = training();
      rate.input.disabled = !on;
      newMask.disabled = !on;
      const pass = C.forward(model, x, on ? masks : null);
      const plain = C.forward(model, x, null);
      const values = [x].concat(pass.outputs);
      const scale = on && r < 1 ? 1 / (1 - r) : 1;
      const summaries = [];
      units.forEach((layerUnits, b) => {
        const v = values[b];
        let largest = 1e-9;
        for (let i = 0; i < v.length; i++) largest = Math.max(largest, Math.abs(v[i]));
        const mask = on && b > 0 && b <= masks.length ? masks[b - 1] : null;
        let dropped = 0;
        layerUnits.forEach((g, i) => {
          const isDropped = mask !== null && mask[i] === 0;
          if (isDropped) dropped += 1;
          g.classList.toggle("unit--dropped", isDropped);
          const strength = b === units.length - 1 ? v[i] : Math.abs(v[i]) / largest;
          g.style.setProperty("--strength", isDropped ? 0 : strength.toFixed(3));
          g.lastChild.textContent = isDropped
            ? text(widget, "unitDropped", { n: i + 1 })
            : text(widget, "unitValue", { n: i + 1, value: format(v[i]) });
        });
        if (b > 0 && b < units.length - 1) {
          summaries.push(text(widget, on ? "layerDropped" : "layerKept", { n: b, dropped: dropped, total: v.length, scale: format(scale, 2) }));
        }
      });
      outputText.textContent = format(pass.probability);
      svg.setAttribute("aria-label", text(widget, "networkLabel", { probability: format(pass.probability) }));
      readout.dataset.probability = String(pass.probability);
      readout.dataset.inference = String(plain.probability);
      readout.textContent = text(widget, on ? "readoutTraining" : "readoutInference", {
        probability: format(pass.probability),
        inference: format(plain.probability),
        label: model.yTest[index],
      });
      // Sentences ending in full-width punctuation (Chinese) join without a space.
      layersReadout.textContent = summaries.reduce(
        (all, s) => all + (all && !/[。！？]$/.test(all) ? " " : "") + s, "");
    }

    rate.input.addEventListener("input", () => {
      resample();
      draw();
    });
    example.input.addEventListener("change", draw);
    modes.forEach((m) => m.input.addEventListener("change", draw));
    newMask.addEventListener("click", () => {
      seed += 1;
      resample();
      draw();
    });
    resample();
    draw();
    ready(widget, ui);
  }

  // --- 2. Monte Carlo dropout ------------------------------------------------------

  function buildMonteCarlo(widget, model) {
    const count = model.xTest.length;
    const example = exampleInput(widget, count);
    const passes = slider(widget, "passes", 10, 1000, 10, 100, 0);
    const run = element("button", { type: "button", class: "md-button", text: text(widget, "run") });
    const controls = element("div", { class: "dropout-controls" }, [example.node, passes.node, run]);
    const bins = 20;
    const w = 400;
    const h = 170;
    const pad = { left: 36, right: 10, top: 10, bottom: 30 };
    const svg = svgElement("svg", { viewBox: `0 0 ${w} ${h}`, class: "dropout-histogram", role: "img" });
    const plotW = w - pad.left - pad.right;
    const plotH = h - pad.top - pad.bottom;
    const bars = Array.from({ length: bins }, (_, i) => {
      const bar = svgElement("rect", { x: pad.left + (i * plotW) / bins + 1, width: plotW / bins - 2, class: "dropout-histogram__bar" });
      svg.append(bar);
      return bar;
    });
    svg.append(svgElement("line", { x1: pad.left, x2: w - pad.right, y1: h - pad.bottom, y2: h - pad.bottom, class: "dropout-axis" }));
    [0, 0.25, 0.5, 0.75, 1].forEach((tick) => {
      const label = svgElement("text", { x: pad.left + tick * plotW, y: h - pad.bottom + 16, class: "dropout-axis__tick" });
      label.textContent = String(tick);
      svg.append(label);
    });
    const axisLabel = svgElement("text", { x: pad.left + plotW / 2, y: h - 2, class: "dropout-axis__label" });
    axisLabel.textContent = text(widget, "axis");
    svg.append(axisLabel);
    const countLabel = svgElement("text", { x: 4, y: pad.top + 8, class: "dropout-axis__tick dropout-axis__tick--start" });
    svg.append(countLabel);
    const meanLine = svgElement("line", { y1: pad.top, y2: h - pad.bottom, class: "dropout-histogram__mean" });
    const plainLine = svgElement("line", { y1: pad.top, y2: h - pad.bottom, class: "dropout-histogram__plain" });
    svg.append(meanLine, plainLine);
    const legend = element("p", { class: "dropout-legend" }, [
      element("span", { class: "dropout-key dropout-key--mean", text: text(widget, "legendMean") }),
      element("span", { class: "dropout-key dropout-key--plain", text: text(widget, "legendPlain") }),
    ]);
    const readout = element("p", { class: "dropout-readout", "aria-live": "polite" });
    const ui = element("div", {}, [controls, element("div", { class: "dropout-figure" }, [svg]), legend, readout]);
    let seed = 1;

    function update() {
      const index = exampleIndex(example.input);
      const n = Math.round(valueOf(passes.input));
      const x = model.xTest[index];
      const started = performance.now();
      const probabilities = C.mcDropout(model, x, model.rate, n, C.rng(seed));
      const milliseconds = performance.now() - started;
      const stats = C.summary(probabilities);
      const plain = C.forward(model, x, null).probability;
      const counts = C.histogram(probabilities, bins);
      const tallest = Math.max(...counts);
      counts.forEach((c, i) => {
        const barH = (c / tallest) * plotH;
        bars[i].setAttribute("y", h - pad.bottom - barH);
        bars[i].setAttribute("height", barH);
      });
      countLabel.textContent = String(tallest);
      const at = (p) => pad.left + p * plotW;
      [meanLine, plainLine].forEach((line, i) => {
        const p = i === 0 ? stats.mean : plain;
        line.setAttribute("x1", at(p));
        line.setAttribute("x2", at(p));
      });
      const values = { n: n, mean: format(stats.mean), std: format(stats.std), plain: format(plain), label: model.yTest[index], ms: format(milliseconds, 1) };
      svg.setAttribute("aria-label", text(widget, "histogramLabel", values));
      readout.textContent = text(widget, "readout", values);
      Object.assign(readout.dataset, { mean: stats.mean, std: stats.std, plain: plain, passes: n, milliseconds: milliseconds });
    }

    passes.input.addEventListener("change", update);
    example.input.addEventListener("change", update);
    run.addEventListener("click", () => {
      seed += 1;
      update();
    });
    update();
    ready(widget, ui);
  }

  // --- 3. The playground -------------------------------------------------------------

  const CLASS_COLORS = [
    [232, 113, 10],
    [26, 115, 232],
  ];
  const VIEW = { x0: -2.4, x1: 2.4, y0: -1.7, y1: 1.7 };

  function buildPlayground(widget) {
    const rate = slider(widget, "rate", 0, 0.9, 0.05, 0.5, 2);
    const size = slider(widget, "points", 10, 200, 10, 30, 0);
    const noise = slider(widget, "noise", 0, 0.5, 0.05, 0.3, 2);
    const play = element("button", { type: "button", class: "md-button md-button--primary", "aria-pressed": "false", text: text(widget, "train") });
    const burst = element("button", { type: "button", class: "md-button", text: text(widget, "steps") });
    const reset = element("button", { type: "button", class: "md-button", text: text(widget, "reset") });
    const controls = element("div", { class: "dropout-controls" }, [rate.node, size.node, noise.node, element("div", { class: "dropout-buttons" }, [play, burst, reset])]);
    const boundary = element("canvas", { width: 360, height: 255, class: "dropout-canvas", role: "img", "aria-label": text(widget, "boundaryLabel") });
    const curves = element("canvas", { width: 360, height: 255, class: "dropout-canvas", role: "img", "aria-label": text(widget, "curvesLabel") });
    const legend = element("p", { class: "dropout-legend" }, [
      element("span", { class: "dropout-key dropout-key--train", text: text(widget, "legendTrain") }),
      element("span", { class: "dropout-key dropout-key--test", text: text(widget, "legendTest") }),
    ]);
    const readout = element("p", { class: "dropout-readout", "aria-live": "off" });
    const figures = element("div", { class: "dropout-pair" }, [
      element("figure", {}, [boundary, element("figcaption", { text: text(widget, "boundaryCaption") })]),
      element("figure", {}, [curves, legend]),
    ]);
    const ui = element("div", {}, [controls, figures, readout]);
    const seed = Number(widget.dataset.seed || 3);
    const maxSteps = Number(widget.dataset.maxSteps || 3000);
    const pixel = 8; // boundary resolution: one prediction per 8 × 8 canvas pixels
    let net = null;
    let running = false;
    let frame = 0;
    let lastDraw = 0;
    let lastTick = 0;

    function make() {
      net = new C.Playground({ rate: valueOf(rate.input), trainSize: valueOf(size.input), noise: valueOf(noise.input), seed: seed });
    }

    function toCanvas(px, py, canvas) {
      return [((px - VIEW.x0) / (VIEW.x1 - VIEW.x0)) * canvas.width, ((VIEW.y1 - py) / (VIEW.y1 - VIEW.y0)) * canvas.height];
    }

    function drawBoundary() {
      const ctx = boundary.getContext("2d");
      const { width, height } = boundary;
      const image = ctx.createImageData(width, height);
      for (let cy = 0; cy < height; cy += pixel) {
        for (let cx = 0; cx < width; cx += pixel) {
          const px = VIEW.x0 + ((cx + pixel / 2) / width) * (VIEW.x1 - VIEW.x0);
          const py = VIEW.y1 - ((cy + pixel / 2) / height) * (VIEW.y1 - VIEW.y0);
          const p = net.predict(px, py);
          const [r0, g0, b0] = CLASS_COLORS[p >= 0.5 ? 1 : 0];
          const alpha = 40 + Math.round(120 * Math.abs(p - 0.5) * 2);
          for (let dy = 0; dy < pixel && cy + dy < height; dy++) {
            for (let dx = 0; dx < pixel && cx + dx < width; dx++) {
              const o = ((cy + dy) * width + cx + dx) * 4;
              image.data[o] = r0;
              image.data[o + 1] = g0;
              image.data[o + 2] = b0;
              image.data[o + 3] = alpha;
            }
          }
        }
      }
      ctx.putImageData(image, 0, 0);
      const points = (data, radius, alpha) => {
        for (let i = 0; i < data.n; i++) {
          const [x, y] = toCanvas(data.x[2 * i], data.x[2 * i + 1], boundary);
          const [r0, g0, b0] = CLASS_COLORS[data.y[i]];
          ctx.fillStyle = `rgba(${r0},${g0},${b0},${alpha})`;
          ctx.strokeStyle = `rgba(255,255,255,${alpha})`;
          ctx.lineWidth = 1.2;
          ctx.beginPath();
          if (data.y[i]) ctx.rect(x - radius, y - radius, 2 * radius, 2 * radius);
          else ctx.arc(x, y, radius, 0, 2 * Math.PI);
          ctx.fill();
          ctx.stroke();
        }
      };
      points(net.test, 1.6, 0.35);
      points(net.train, 4.2, 1);
    }

    function drawCurves() {
      const ctx = curves.getContext("2d");
      const { width, height } = curves;
      const pad = { left: 40, right: 8, top: 8, bottom: 26 };
      ctx.clearRect(0, 0, width, height);
      const history = net.history;
      const lastStep = Math.max(500, history[history.length - 1].step);
      let top = 1;
      history.forEach((h) => (top = Math.max(top, Math.min(4, h.test), Math.min(4, h.train))));
      top = Math.ceil(top * 2) / 2;
      const X = (s) => pad.left + (s / lastStep) * (width - pad.left - pad.right);
      const Y = (l) => pad.top + (1 - Math.min(l, top) / top) * (height - pad.top - pad.bottom);
      const style = getComputedStyle(widget);
      ctx.strokeStyle = style.getPropertyValue("--dropout-axis").trim() || "#888";
      ctx.fillStyle = ctx.strokeStyle;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(pad.left, pad.top);
      ctx.lineTo(pad.left, height - pad.bottom);
      ctx.lineTo(width - pad.right, height - pad.bottom);
      ctx.stroke();
      ctx.font = "13px sans-serif";
      ctx.textAlign = "right";
      [0, top / 2, top].forEach((l) => ctx.fillText(l.toFixed(2), pad.left - 4, Y(l) + 4));
      ctx.textAlign = "center";
      ctx.fillText(text(widget, "stepAxis", { n: lastStep }), (pad.left + width - pad.right) / 2, height - 8);
      [["train", [], CLASS_COLORS[1]], ["test", [6, 4], CLASS_COLORS[0]]].forEach(([key, dash, color]) => {
        ctx.setLineDash(dash);
        ctx.strokeStyle = `rgb(${color.join(",")})`;
        ctx.lineWidth = 2;
        ctx.beginPath();
        history.forEach((h, i) => (i ? ctx.lineTo(X(h.step), Y(h[key])) : ctx.moveTo(X(h.step), Y(h[key]))));
        ctx.stroke();
      });
      ctx.setLineDash([]);
    }

    let lastBoundary = -Infinity;
    function draw(now) {
      // While training, the boundary (a prediction per 8 × 8 pixels) is redrawn at
      // most 20 times a second, leaving the rest of each frame to training.
      if (now === undefined || now - lastBoundary >= 50) {
        drawBoundary();
        lastBoundary = now === undefined ? -Infinity : now;
      }
      drawCurves();
      const latest = net.latest();
      const values = { step: net.step, train: format(latest.train), test: format(latest.test), gap: format(latest.test - latest.train) };
      readout.textContent = text(widget, "readout", values);
      Object.assign(readout.dataset, { step: net.step, train: latest.train, test: latest.test });
    }

    function setRunning(on) {
      running = on && net.step < maxSteps;
      play.setAttribute("aria-pressed", String(running));
      play.textContent = text(widget, running ? "pause" : "train");
      readout.setAttribute("aria-live", running ? "off" : "polite");
      if (running) {
        lastTick = performance.now();
        frame = requestAnimationFrame(tick);
      } else cancelAnimationFrame(frame);
    }

    function tick(now) {
      if (!running) return;
      // Train at a steady STEPS_PER_SECOND, so a run takes the same few seconds
      // on any device and can be watched (and paused); never more than 10 ms of
      // a frame, so a slow phone trains slower rather than stutters. With
      // reduced motion, the picture changes only twice a second.
      const started = performance.now();
      const due = Math.max(1, Math.round(((now - lastTick) * STEPS_PER_SECOND) / 1000));
      lastTick = now;
      let done = 0;
      do {
        net.run(1);
        done += 1;
      } while (done < due && net.step < maxSteps && performance.now() - started < 10);
      if (!reducedMotion.matches || now - lastDraw > 500) {
        draw(now);
        lastDraw = now;
      }
      if (net.step >= maxSteps) {
        draw();
        setRunning(false);
        return;
      }
      frame = requestAnimationFrame(tick);
    }

    function restart() {
      setRunning(false);
      make();
      draw();
    }

    [rate, size, noise].forEach((control) => control.input.addEventListener("change", restart));
    play.addEventListener("click", () => setRunning(!running));
    burst.addEventListener("click", () => {
      setRunning(false);
      net.run(500);
      draw();
    });
    reset.addEventListener("click", restart);
    make();
    draw();
    ready(widget, ui);
  }

  // --- 4. Dropout on attention probabilities ------------------------------------

  function buildAttention(widget, model) {
    const count = model.xTest.length;
    const example = exampleInput(widget, count);
    const headNumbers = Array.from({ length: model.heads }, (_, h) => h);
    const headGroup = radioGroup(widget, "heads", headNumbers, (h) => text(widget, "head", { n: h + 1 }));
    const heads = headGroup.options;
    const headField = headGroup.node;
    const rate = slider(widget, "rate", 0, 0.9, 0.05, model.rate, 2);
    const modeGroup = radioGroup(widget, "mode", ["training", "inference"], (mode) => text(widget, mode));
    const modes = modeGroup.options;
    const modeField = modeGroup.node;
    const newMask = element("button", { type: "button", class: "md-button", text: text(widget, "newMask") });
    const controls = element("div", { class: "dropout-controls" }, [example.node, headField, rate.node, modeField, newMask]);

    // The matrix: one row per query token (a row of the image, drawn as a strip
    // of its 8 pixels), one column per key token, and the row's sum at the right.
    const n = model.tokens;
    const caption = element("caption");
    const headRow = element("tr", {}, [element("th", { scope: "col", text: text(widget, "queryKey") })]);
    for (let j = 0; j < n; j++) headRow.append(element("th", { scope: "col", text: String(j + 1) }));
    headRow.append(element("th", { scope: "col", class: "attention__sum", text: text(widget, "sum") }));
    const body = element("tbody");
    const rows = Array.from({ length: n }, (_, i) => {
      const strip = element("span", { class: "attention__strip", "aria-hidden": "true" });
      const pixels = Array.from({ length: model.xTest[0][0].length }, () => {
        const pixel = element("span");
        strip.append(pixel);
        return pixel;
      });
      const header = element("th", { scope: "row" }, [strip, " " + (i + 1)]);
      const cells = Array.from({ length: n }, () => element("td"));
      const sum = element("td", { class: "attention__sum" });
      body.append(element("tr", {}, [header, ...cells, sum]));
      return { pixels: pixels, cells: cells, sum: sum };
    });
    const table = element("table", { class: "attention__matrix" }, [caption, element("thead", {}, [headRow]), body]);
    const figure = element("div", { class: "dropout-figure attention" }, [table]);
    const readout = element("p", { class: "dropout-readout", "aria-live": "polite" });
    const ui = element("div", {}, [controls, figure, readout]);

    let seed = 1;
    let keep = null;
    const training = () => modes[0].input.checked;
    const head = () => heads.findIndex((h) => h.input.checked);

    function resample() {
      keep = C.sampleKeep(n, n, valueOf(rate.input), C.rng(seed));
    }

    function draw() {
      const index = exampleIndex(example.input);
      const h = head();
      const r = valueOf(rate.input);
      const on = training();
      rate.input.disabled = !on;
      newMask.disabled = !on;
      const probabilities = C.attentionProbabilities(model, index)[h];
      const shown = on ? C.dropAttention(probabilities, keep, r) : probabilities;
      let dropped = 0;
      const sums = [];
      rows.forEach((row, i) => {
        model.xTest[index][i].forEach((v, k) => row.pixels[k].style.setProperty("--ink", v.toFixed(3)));
        let sum = 0;
        row.cells.forEach((cell, j) => {
          const value = shown[i][j];
          const isDropped = on && !keep[i][j];
          if (isDropped) dropped += 1;
          sum += value;
          cell.textContent = format(value, 2).replace(/^0\./, "."); // .60: eight columns fit a phone
          cell.dataset.value = String(value);
          cell.classList.toggle("attention--dropped", isDropped);
          cell.style.setProperty("--strength", Math.min(1, value).toFixed(3));
        });
        row.sum.textContent = format(sum, 2);
        row.sum.dataset.sum = String(sum);
        row.sum.classList.toggle("attention--off", Math.abs(sum - 1) > 5e-3);
        sums.push(sum);
      });
      caption.textContent = text(widget, "caption", { example: index + 1, head: h + 1, label: model.yTest[index] });
      const values = {
        dropped: dropped,
        total: n * n,
        rate: format(r, 2),
        scale: format(r < 1 ? 1 / (1 - r) : 0, 2),
        low: format(Math.min(...sums), 2),
        high: format(Math.max(...sums), 2),
      };
      readout.dataset.dropped = String(dropped);
      readout.textContent = text(widget, on ? "readoutTraining" : "readoutInference", values);
    }

    rate.input.addEventListener("input", () => {
      resample();
      draw();
    });
    example.input.addEventListener("change", draw);
    heads.forEach((h) => h.input.addEventListener("change", draw));
    modes.forEach((m) => m.input.addEventListener("change", draw));
    newMask.addEventListener("click", () => {
      seed += 1;
      resample();
      draw();
    });
    resample();
    draw();
    ready(widget, ui);
  }

  // --- Start -----------------------------------------------------------------------

  const BUILDERS = {
    mask: (widget) => withModel(widget, buildMaskExplorer),
    mc: (widget) => withModel(widget, buildMonteCarlo),
    playground: buildPlayground,
    attention: (widget) => withModel(widget, buildAttention),
  };

  function start(widget) {
    const build = BUILDERS[widget.dataset.widget];
    try {
      if (!build) throw new Error("unknown widget " + widget.dataset.widget);
      build(widget);
    } catch (error) {
      showError(widget, text(widget, "error", { reason: error.message }));
    }
  }

  // Each widget is built when it comes within a screen of the viewport, so a page
  // opens without drawing, sampling or training for widgets nobody has reached yet.
  const widgets = document.querySelectorAll(".dropout-widget[data-widget]");
  if (!("IntersectionObserver" in window)) {
    widgets.forEach(start);
  } else {
    const observer = new IntersectionObserver(
      (entries) => {
        entries.forEach((entry) => {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          start(entry.target);
        });
      },
      { rootMargin: "100% 0px" },
    );
    widgets.forEach((widget) => observer.observe(widget));
  }
})();
