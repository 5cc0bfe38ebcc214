// Unit tests of overrides/assets/javascripts/dropout-core.js, run with Node's
// built-in runner (`node --test tests/js/`); tests/interactive/ runs them in `make test`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const C = require(path.join(__dirname, "../../overrides/assets/javascripts/dropout-core.js"));

/** A small model in the exported JSON's form: 3 inputs → 4 ReLU → 4 ReLU → 1 sigmoid. */
function tinyModel(seed) {
  const random = C.rng(seed);
  const layer = (inputs, units, activation) => ({
    kernel: Array.from({ length: inputs }, () => Array.from({ length: units }, () => 2 * random() - 1)),
    bias: Array.from({ length: units }, () => random() - 0.5),
    activation: activation,
  });
  return {
    dropout_rate: 0.5,
    layers: [layer(3, 4, "relu"), layer(4, 4, "relu"), layer(4, 1, "sigmoid")],
    x_test: [
      [0.5, -1, 2],
      [1, 1, 1],
    ],
    y_test: [0, 1],
  };
}

test("the generator is seeded and uniform in [0, 1)", () => {
  const a = C.rng(7);
  const b = C.rng(7);
  let sum = 0;
  for (let i = 0; i < 100000; i++) {
    const value = a();
    assert.equal(value, b());
    assert.ok(value >= 0 && value < 1);
    sum += value;
  }
  assert.ok(Math.abs(sum / 100000 - 0.5) < 0.005);
  assert.notEqual(C.rng(8)(), C.rng(7)());
});

test("normal draws have mean 0 and standard deviation 1", () => {
  const random = C.rng(3);
  const values = Array.from({ length: 50000 }, () => random.normal());
  const { mean, std } = C.summary(values);
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.02, `std ${std}`);
});

for (const rate of [0.1, 0.3, 0.5, 0.8]) {
  test(`masks at rate ${rate} drop that fraction and scale the kept units by exactly 1/(1 - rate)`, () => {
    const random = C.rng(11);
    const units = 64;
    const samples = 3000;
    let dropped = 0;
    for (let s = 0; s < samples; s++) {
      const mask = C.sampleMask(units, rate, random);
      for (const value of mask) {
        if (value === 0) dropped += 1;
        else assert.equal(value, 1 / (1 - rate)); // exactly, not approximately
      }
    }
    const n = units * samples;
    const fraction = dropped / n;
    const sigma = Math.sqrt((rate * (1 - rate)) / n);
    assert.ok(Math.abs(fraction - rate) < 5 * sigma, `dropped ${fraction}, rate ${rate}, σ ${sigma}`);
  });
}

test("rate 0 keeps every unit unscaled; rate 1 drops every unit, as Keras does", () => {
  assert.deepEqual(Array.from(C.sampleMask(10, 0, C.rng(1))), new Array(10).fill(1));
  assert.deepEqual(Array.from(C.sampleMask(10, 1, C.rng(1))), new Array(10).fill(0));
});

test("clamp keeps values in range and turns garbage into the minimum", () => {
  assert.equal(C.clamp(5, 0, 0.9), 0.9);
  assert.equal(C.clamp(-2, 0, 0.9), 0);
  assert.equal(C.clamp("0.25", 0, 0.9), 0.25);
  assert.equal(C.clamp("abc", 10, 1000), 10);
  assert.equal(C.clamp(Infinity, 10, 1000), 10);
});

test("the forward pass computes the layers by hand", () => {
  const data = {
    dropout_rate: 0.5,
    layers: [
      { kernel: [[1, -1], [2, 0.5]], bias: [0, 0.25], activation: "relu" },
      { kernel: [[1], [-2]], bias: [0.5], activation: "sigmoid" },
    ],
    x_test: [[1, 1]],
    y_test: [1],
  };
  const model = C.parseModel(data);
  const out = C.forward(model, [1, 1]);
  // hidden: relu(1 + 2) = 3, relu(-1 + 0.5 + 0.25) = 0; output: sigmoid(3 - 0 + 0.5)
  assert.deepEqual(Array.from(out.outputs[0]), [3, 0]);
  assert.ok(Math.abs(out.probability - 1 / (1 + Math.exp(-3.5))) < 1e-15);
  // A mask that drops hidden unit 1 and doubles unit 2 (which is 0) gives sigmoid(0.5).
  const masked = C.forward(model, [1, 1], [Float64Array.from([0, 2])]);
  assert.ok(Math.abs(masked.probability - 1 / (1 + Math.exp(-0.5))) < 1e-15);
});

test("a Monte Carlo pass is a forward pass with freshly sampled masks", () => {
  const model = C.parseModel(tinyModel(5));
  const x = model.xTest[0];
  for (const seed of [1, 2, 3, 4]) {
    const [mc] = C.mcDropout(model, x, 0.5, 1, C.rng(seed));
    const masks = C.sampleMasks(model, 0.5, C.rng(seed));
    assert.ok(Math.abs(mc - C.forward(model, x, masks).probability) < 1e-12);
  }
  const plain = C.forward(model, x).probability;
  for (const p of C.mcDropout(model, x, 0, 20, C.rng(1))) assert.ok(Math.abs(p - plain) < 1e-12);
});

test("the histogram counts every value, 1 included", () => {
  assert.deepEqual(C.histogram([0, 0.05, 0.5, 0.99, 1], 4), [2, 0, 1, 2]);
});

test("a malformed model is rejected with a reason", () => {
  const bad = [
    null,
    { layers: 3, dropout_rate: 0.5 },
    { ...tinyModel(1), dropout_rate: 1.5 },
    { ...tinyModel(1), x_test: [[1, 2]] },
    { ...tinyModel(1), y_test: [] },
  ];
  const shapes = tinyModel(1);
  shapes.layers[1].kernel.pop(); // 3 rows where the layer before has 4 units
  bad.push(shapes);
  const words = tinyModel(1);
  words.layers[0].kernel[0][0] = "0.5";
  bad.push(words);
  const activation = tinyModel(1);
  activation.layers[0].activation = "softmax";
  bad.push(activation);
  for (const data of bad) assert.throws(() => C.parseModel(data), Error);
  assert.doesNotThrow(() => C.parseModel(tinyModel(1)));
});

test("two moons: balanced labels, on the two arcs when there is no noise", () => {
  const data = C.twoMoons(200, 0, C.rng(1));
  assert.equal(data.y.reduce((a, b) => a + b, 0), 100);
  for (let i = 0; i < data.n; i++) {
    const x = data.x[2 * i] + 0.5;
    const y = data.x[2 * i + 1] + 0.25;
    const r = data.y[i] ? Math.hypot(x - 1, y - 0.5) : Math.hypot(x, y);
    assert.ok(Math.abs(r - 1) < 1e-12);
  }
});

test("the playground's hand-written gradients match finite differences", () => {
  const net = new C.Playground({ rate: 0, trainSize: 12, noise: 0.2, seed: 5, hidden: 6 });
  net.run(20); // away from the initial point
  net.gradients();
  const analytic = net.grads.map((g) => Float64Array.from(g));
  const h = 1e-6;
  let checked = 0;
  net.params.forEach((param, k) => {
    for (let i = 0; i < param.length; i += 3) {
      const saved = param[i];
      param[i] = saved + h;
      const up = net.loss(net.train);
      param[i] = saved - h;
      const down = net.loss(net.train);
      param[i] = saved;
      const numeric = (up - down) / (2 * h);
      assert.ok(Math.abs(numeric - analytic[k][i]) < 1e-6, `param ${k}[${i}]: ${numeric} vs ${analytic[k][i]}`);
      checked += 1;
    }
  });
  assert.ok(checked > 20);
});

test("the same seed and settings give the same run", () => {
  const a = new C.Playground({ rate: 0.5, trainSize: 30, noise: 0.3, seed: 3 }).run(200);
  const b = new C.Playground({ rate: 0.5, trainSize: 30, noise: 0.3, seed: 3 }).run(200);
  assert.deepEqual(a, b);
});

test("settings out of range are clamped", () => {
  const net = new C.Playground({ rate: 7, trainSize: 100000, noise: -1, seed: 1 });
  assert.equal(net.rate, 0.9);
  assert.equal(net.trainSize, 400);
  assert.equal(net.noise, 0);
});

// What the interactive page says about the playground (seed 3, noise 0.3, as on the page;
// 2000 steps). Each run is computed once.
const runs = new Map();
function run(rate, trainSize) {
  const key = rate + "/" + trainSize;
  if (!runs.has(key)) {
    const net = new C.Playground({ rate: rate, trainSize: trainSize, noise: 0.3, seed: 3 });
    const first = net.latest();
    const last = net.run(2000);
    const lowestTest = Math.min(...net.history.map((h) => h.test));
    runs.set(key, { first: first, last: last, gap: last.test - last.train, lowestTest: lowestTest });
  }
  return runs.get(key);
}

test("training lowers the training loss, with and without dropout", () => {
  for (const rate of [0, 0.5]) {
    const { first, last } = run(rate, 30);
    assert.ok(last.train < first.train / 5, `rate ${rate}: ${first.train} -> ${last.train}`);
  }
});

test("on 30 noisy points, no dropout leaves a larger train-test gap than dropout 0.5", () => {
  const without = run(0, 30);
  const withDropout = run(0.5, 30);
  assert.ok(without.gap > withDropout.gap + 0.1, `gaps ${without.gap} vs ${withDropout.gap}`);
  assert.ok(without.last.test > withDropout.last.test, "and a higher test loss");
  // The page: "the test loss climbs while the training loss falls to zero".
  assert.ok(without.last.train < 0.01, `training loss ${without.last.train}`);
  assert.ok(without.last.test > without.lowestTest + 0.3, "the test loss climbs from its lowest point");
});

test("with 200 points the network still overfits without dropout, and dropout still helps (exercise 3)", () => {
  const without = run(0, 200);
  const withDropout = run(0.5, 200);
  assert.ok(without.last.train < 0.1, `training loss without dropout ${without.last.train}`);
  assert.ok(without.gap > 0.5, `gap without dropout ${without.gap}`);
  assert.ok(withDropout.last.test < without.last.test - 0.3, "a much lower test loss with dropout");
  assert.ok(withDropout.last.test < run(0.5, 30).last.test, "more data and dropout add up");
});

/** A small attention export in the JSON's form: 3 tokens of 2 features, width 4, 2 heads of 2. */
function tinyAttention(seed) {
  const random = C.rng(seed);
  const array = (...shape) =>
    shape.length === 1
      ? Array.from({ length: shape[0] }, () => 2 * random() - 1)
      : Array.from({ length: shape[0] }, () => array(...shape.slice(1)));
  return {
    dropout_rate: 0.1,
    heads: 2,
    key_dim: 2,
    token_kernel: array(2, 4),
    token_bias: array(4),
    positions: array(3, 4),
    query_kernel: array(4, 2, 2),
    query_bias: array(2, 2),
    key_kernel: array(4, 2, 2),
    key_bias: array(2, 2),
    x_test: [array(3, 2), array(3, 2)],
    y_test: [0, 1],
  };
}

test("attention probabilities are softmax(q·k / √d) of the embedded tokens, rows summing to one", () => {
  const data = tinyAttention(3);
  const model = C.parseAttention(data);
  const probabilities = C.attentionProbabilities(model, 1);
  assert.equal(probabilities.length, 2);
  // By hand for head 1, query token 0 → key token 2.
  const embed = (t) =>
    data.token_bias.map((b, w) => b + data.positions[t][w] + data.x_test[1][t].reduce((s, x, i) => s + x * data.token_kernel[i][w], 0));
  const project = (kernel, bias, t) =>
    bias[1].map((b, d) => b + embed(t).reduce((s, x, w) => s + x * kernel[w][1][d], 0));
  const logit = (i, j) => {
    const q = project(data.query_kernel, data.query_bias, i);
    const k = project(data.key_kernel, data.key_bias, j);
    return (q[0] * k[0] + q[1] * k[1]) / Math.sqrt(2);
  };
  const expected = Math.exp(logit(0, 2)) / [0, 1, 2].reduce((s, j) => s + Math.exp(logit(0, j)), 0);
  assert.ok(Math.abs(probabilities[1][0][2] - expected) < 1e-12);
  probabilities.flat().forEach((row) => assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12));
});

test("dropped attention entries are zero and the kept ones divided by 1 - rate", () => {
  const p = [
    [0.5, 0.3, 0.2],
    [0.1, 0.1, 0.8],
  ];
  const keep = [
    [false, true, true],
    [true, true, true],
  ];
  const out = C.dropAttention(p, keep, 0.2);
  [0, 0.3 / 0.8, 0.2 / 0.8].forEach((v, j) => assert.ok(Math.abs(out[0][j] - v) < 1e-12));
  assert.equal(out[0][0], 0);
  assert.ok(Math.abs(out[1].reduce((a, b) => a + b, 0) - 1 / 0.8) < 1e-12);
});

test("a keep-mask drops about rate of the entries and is reproducible from its seed", () => {
  const keep = C.sampleKeep(200, 200, 0.3, C.rng(5));
  const dropped = keep.flat().filter((k) => !k).length / 40000;
  assert.ok(Math.abs(dropped - 0.3) < 0.01, String(dropped));
  assert.deepEqual(C.sampleKeep(8, 8, 0.3, C.rng(5)), C.sampleKeep(8, 8, 0.3, C.rng(5)));
  assert.ok(C.sampleKeep(8, 8, 0, C.rng(1)).flat().every((k) => k));
});

test("an attention export with a wrong shape is refused with a reason", () => {
  const data = tinyAttention(4);
  data.query_kernel = data.query_kernel.slice(1);
  assert.throws(() => C.parseAttention(data), /query_kernel shape/);
  assert.throws(() => C.parseAttention({ dropout_rate: 2 }), /dropout_rate/);
  assert.throws(() => C.parseAttention(null), /not a JSON object/);
});
