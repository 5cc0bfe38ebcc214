// The arithmetic behind the dropout widgets, with no DOM: a seeded random
// number generator, dropout masks, the forward pass of the Keras model the
// build trained (exported as JSON by snippets/complete_example.py), Monte
// Carlo dropout, a small MLP trained in the browser on two moons, and the
// attention probabilities of the transformer block (snippets/transformer_dropout.py).
// Loaded by the page as a plain script (window.DropoutCore) and by the unit
// tests in tests/js/ with require().
(function (root, factory) {
  const core = factory();
  if (typeof module === "object" && module.exports) module.exports = core;
  else root.DropoutCore = core;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // --- Random numbers -------------------------------------------------------

  /** mulberry32: a small, fast, seeded generator of floats in [0, 1). */
  function rng(seed) {
    let a = seed >>> 0;
    const next = function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    next.normal = function () {
      // Box–Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    return next;
  }

  function clamp(value, low, high) {
    const number = Number(value);
    if (!Number.isFinite(number)) return low;
    return Math.min(high, Math.max(low, number));
  }

  // --- Dropout masks ----------------------------------------------------------

  /**
   * An inverted-dropout mask of n units, as keras.layers.Dropout(rate) draws
   * it: each unit is dropped (0) with probability `rate`, and each kept unit is
   * multiplied by 1 / (1 - rate). A rate of 1 drops everything (Keras returns zeros).
   */
  function sampleMask(n, rate, random) {
    const mask = new Float64Array(n);
    if (rate >= 1) return mask;
    const scale = 1 / (1 - rate);
    for (let i = 0; i < n; i++) mask[i] = random() < rate ? 0 : scale;
    return mask;
  }

  // --- The exported Keras model -------------------------------------------------

  const ACTIVATIONS = { relu: true, sigmoid: true, linear: true };

  /**
   * Check and convert the JSON the complete example writes: Dense layers
   * (kernel [inputs][units], bias [units], activation) and the test set.
   * Throws an Error that says what is wrong.
   */
  function parseModel(data) {
    if (!data || typeof data !== "object") throw new Error("not a JSON object");
    if (!Array.isArray(data.layers) || data.layers.length < 2) throw new Error("no layers");
    const rate = Number(data.dropout_rate);
    if (!(rate >= 0 && rate < 1)) throw new Error("dropout_rate is not in [0, 1)");
    let width = null;
    const layers = data.layers.map(function (layer, index) {
      const kernel = layer && layer.kernel;
      const bias = layer && layer.bias;
      if (!Array.isArray(kernel) || !kernel.length || !Array.isArray(kernel[0])) {
        throw new Error("layer " + index + " has no kernel");
      }
      const inputs = kernel.length;
      const units = kernel[0].length;
      if (width !== null && inputs !== width) throw new Error("layer " + index + " does not fit");
      if (!Array.isArray(bias) || bias.length !== units) throw new Error("layer " + index + " bias");
      if (!ACTIVATIONS[layer.activation]) throw new Error("layer " + index + " activation");
      const flat = new Float64Array(inputs * units);
      kernel.forEach(function (row, i) {
        if (!Array.isArray(row) || row.length !== units) throw new Error("layer " + index + " kernel");
        row.forEach(function (w, j) {
          if (typeof w !== "number") throw new Error("layer " + index + " kernel is not numeric");
          flat[i * units + j] = w;
        });
      });
      width = units;
      return { inputs: inputs, units: units, kernel: flat, bias: Float64Array.from(bias), activation: layer.activation };
    });
    if (width !== 1) throw new Error("the last layer must have one unit");
    const x = data.x_test;
    const y = data.y_test;
    if (!Array.isArray(x) || !x.length || !Array.isArray(y) || y.length !== x.length) {
      throw new Error("no test set");
    }
    x.forEach(function (row) {
      if (!Array.isArray(row) || row.length !== layers[0].inputs) throw new Error("test set shape");
    });
    return { rate: rate, layers: layers, xTest: x, yTest: y };
  }

  function activate(name, z) {
    if (name === "relu") return z > 0 ? z : 0;
    if (name === "sigmoid") return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    return z;
  }

  function dense(layer, input, out) {
    const units = layer.units;
    const kernel = layer.kernel;
    for (let j = 0; j < units; j++) out[j] = layer.bias[j];
    for (let i = 0; i < layer.inputs; i++) {
      const xi = input[i];
      if (xi === 0) continue;
      const row = i * units;
      for (let j = 0; j < units; j++) out[j] += xi * kernel[row + j];
    }
    for (let j = 0; j < units; j++) out[j] = activate(layer.activation, out[j]);
    return out;
  }

  /**
   * One forward pass. masks[k] (optional) multiplies the output of layer k, as the
   * Dropout layer after each hidden Dense layer does. Returns every layer's output
   * (after its mask) and the predicted probability of class 1.
   */
  function forward(model, x, masks) {
    const outputs = [];
    let input = x;
    model.layers.forEach(function (layer, k) {
      const out = dense(layer, input, new Float64Array(layer.units));
      const mask = masks && masks[k];
      if (mask) for (let j = 0; j < out.length; j++) out[j] *= mask[j];
      outputs.push(out);
      input = out;
    });
    return { outputs: outputs, probability: input[0] };
  }

  /** Fresh masks for every hidden layer of the model. */
  function sampleMasks(model, rate, random) {
    return model.layers.slice(0, -1).map(function (layer) {
      return sampleMask(layer.units, rate, random);
    });
  }

  /**
   * Monte Carlo dropout: `passes` forward passes of example x, each with new
   * masks at `rate` (the rate the model was trained with), as
   * model(x, training=True) does in Keras. The first layer does not depend on
   * the masks, so it is computed once.
   */
  function mcDropout(model, x, rate, passes, random) {
    const hidden = model.layers.slice(0, -1);
    const first = dense(model.layers[0], x, new Float64Array(model.layers[0].units));
    const buffers = model.layers.map(function (layer) {
      return new Float64Array(layer.units);
    });
    const probabilities = new Float64Array(passes);
    const keep = 1 - rate;
    const scale = rate >= 1 ? 0 : 1 / keep;
    for (let p = 0; p < passes; p++) {
      let input = buffers[0];
      for (let j = 0; j < first.length; j++) input[j] = random() < rate ? 0 : first[j] * scale;
      for (let k = 1; k < model.layers.length; k++) {
        const out = dense(model.layers[k], input, buffers[k]);
        if (k < hidden.length) for (let j = 0; j < out.length; j++) out[j] = random() < rate ? 0 : out[j] * scale;
        input = out;
      }
      probabilities[p] = input[0];
    }
    return probabilities;
  }

  function summary(values) {
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / values.length;
    let squares = 0;
    for (const v of values) squares += (v - mean) * (v - mean);
    return { mean: mean, std: Math.sqrt(squares / values.length) };
  }

  function histogram(values, bins) {
    const counts = new Array(bins).fill(0);
    for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))] += 1;
    return counts;
  }

  // --- Attention probabilities of the transformer block ------------------------

  function matrix(value, rows, columns, name) {
    if (!Array.isArray(value) || value.length !== rows) throw new Error(name + " shape");
    value.forEach(function (row) {
      if (!Array.isArray(row) || row.length !== columns) throw new Error(name + " shape");
      row.forEach(function (v) {
        if (typeof v !== "number") throw new Error(name + " is not numeric");
      });
    });
    return value;
  }

  /**
   * Check the JSON snippets/transformer_dropout.py writes: the token and
   * position embeddings and the query and key projections of its
   * MultiHeadAttention layer (kernels [width][heads][head size]), and a few
   * test digits as sequences of rows. Throws an Error that says what is wrong.
   */
  function parseAttention(data) {
    if (!data || typeof data !== "object") throw new Error("not a JSON object");
    const rate = Number(data.dropout_rate);
    if (!(rate >= 0 && rate < 1)) throw new Error("dropout_rate is not in [0, 1)");
    const heads = data.heads;
    const keyDim = data.key_dim;
    if (!(heads >= 1 && keyDim >= 1)) throw new Error("no heads");
    const x = data.x_test;
    if (!Array.isArray(x) || !x.length || !Array.isArray(data.y_test) || data.y_test.length !== x.length) {
      throw new Error("no test set");
    }
    const tokens = x[0].length;
    const features = x[0][0] && x[0][0].length;
    x.forEach(function (sequence) {
      matrix(sequence, tokens, features, "x_test");
    });
    const width = data.token_bias && data.token_bias.length;
    matrix(data.token_kernel, features, width, "token_kernel");
    matrix(data.positions, tokens, width, "positions");
    ["query", "key"].forEach(function (name) {
      const kernel = data[name + "_kernel"];
      if (!Array.isArray(kernel) || kernel.length !== width) throw new Error(name + "_kernel shape");
      kernel.forEach(function (perHead) {
        matrix(perHead, heads, keyDim, name + "_kernel");
      });
      matrix(data[name + "_bias"], heads, keyDim, name + "_bias");
    });
    return {
      rate: rate,
      heads: heads,
      keyDim: keyDim,
      tokens: tokens,
      width: width,
      data: data,
      xTest: x,
      yTest: data.y_test,
    };
  }

  /** The projection of every token for one head: tokens × head size. */
  function project(embedded, kernel, bias, head) {
    return embedded.map(function (token) {
      return bias[head].map(function (b, d) {
        let sum = b;
        for (let w = 0; w < token.length; w++) sum += token[w] * kernel[w][head][d];
        return sum;
      });
    });
  }

  /**
   * The attention probabilities of test sequence `index`, as the Keras
   * model computes them at inference: tokens = rows · token kernel + bias +
   * position vector; for each head, softmax(Q Kᵀ / √(head size)) over each
   * row. Returns [heads][tokens][tokens]; each row sums to one.
   */
  function attentionProbabilities(model, index) {
    const d = model.data;
    const embedded = model.xTest[index].map(function (row, t) {
      return d.token_bias.map(function (b, w) {
        let sum = b + d.positions[t][w];
        for (let i = 0; i < row.length; i++) sum += row[i] * d.token_kernel[i][w];
        return sum;
      });
    });
    const scale = 1 / Math.sqrt(model.keyDim);
    const result = [];
    for (let h = 0; h < model.heads; h++) {
      const q = project(embedded, d.query_kernel, d.query_bias, h);
      const k = project(embedded, d.key_kernel, d.key_bias, h);
      result.push(
        q.map(function (qi) {
          const logits = k.map(function (kj) {
            let dot = 0;
            for (let j = 0; j < qi.length; j++) dot += qi[j] * kj[j];
            return dot * scale;
          });
          const top = Math.max.apply(null, logits);
          const exps = logits.map(function (z) {
            return Math.exp(z - top);
          });
          const total = exps.reduce(function (a, b) {
            return a + b;
          }, 0);
          return exps.map(function (e) {
            return e / total;
          });
        }),
      );
    }
    return result;
  }

  /**
   * Dropout on a matrix of probabilities, as MultiHeadAttention's Dropout does
   * in training mode: entries where keep[i][j] is false become 0, the others
   * are divided by 1 − rate, so rows no longer sum to one.
   */
  function dropAttention(probabilities, keep, rate) {
    const scale = rate >= 1 ? 0 : 1 / (1 - rate);
    return probabilities.map(function (row, i) {
      return row.map(function (p, j) {
        return keep[i][j] ? p * scale : 0;
      });
    });
  }

  /** A fresh keep-mask of rows × columns: each entry dropped with probability `rate`. */
  function sampleKeep(rows, columns, rate, random) {
    return Array.from({ length: rows }, function () {
      return Array.from({ length: columns }, function () {
        return !(random() < rate);
      });
    });
  }

  // --- The playground: two moons and a small MLP --------------------------------

  /** n points of two interleaved half circles with Gaussian noise; labels 0 and 1. */
  function twoMoons(n, noise, random) {
    const x = new Float64Array(2 * n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const label = i % 2;
      const t = Math.PI * random();
      const px = label ? 1 - Math.cos(t) : Math.cos(t);
      const py = label ? 0.5 - Math.sin(t) : Math.sin(t);
      x[2 * i] = px - 0.5 + noise * random.normal();
      x[2 * i + 1] = py - 0.25 + noise * random.normal();
      y[i] = label;
    }
    return { x: x, y: y, n: n };
  }

  /**
   * A 2 → hidden → hidden → 1 ReLU network with dropout after each hidden layer,
   * trained full-batch with Adam on binary cross-entropy. Everything random
   * (data, initial weights, masks) comes from `seed`, so a run can be repeated.
   */
  function Playground(options) {
    this.hidden = options.hidden || 32;
    this.rate = clamp(options.rate, 0, 0.9);
    this.trainSize = Math.round(clamp(options.trainSize, 4, 400));
    this.noise = clamp(options.noise, 0, 1);
    this.seed = options.seed >>> 0;
    this.learningRate = options.learningRate || 0.01;
    const dataRandom = rng(this.seed);
    this.train = twoMoons(this.trainSize, this.noise, dataRandom);
    this.test = twoMoons(options.testSize || 400, this.noise, rng(this.seed + 7919));
    this.random = rng(this.seed + 104729);
    const h = this.hidden;
    const sizes = [2, h, h, 1];
    this.weights = [];
    this.biases = [];
    for (let k = 0; k < 3; k++) {
      const limit = Math.sqrt(6 / (sizes[k] + sizes[k + 1])); // Glorot uniform, as Keras
      const w = new Float64Array(sizes[k] * sizes[k + 1]);
      for (let i = 0; i < w.length; i++) w[i] = (2 * this.random() - 1) * limit;
      this.weights.push(w);
      this.biases.push(new Float64Array(sizes[k + 1]));
    }
    this.sizes = sizes;
    this.params = this.weights.concat(this.biases);
    this.m = this.params.map((p) => new Float64Array(p.length));
    this.v = this.params.map((p) => new Float64Array(p.length));
    this.grads = this.params.map((p) => new Float64Array(p.length));
    this.step = 0;
    this.history = [];
    const n = this.trainSize;
    this.a1 = new Float64Array(n * h);
    this.a2 = new Float64Array(n * h);
    this.m1 = new Float64Array(n * h);
    this.m2 = new Float64Array(n * h);
    this.d1 = new Float64Array(h);
    this.d2 = new Float64Array(h);
    this.record();
  }

  /** The probability of class 1 at point (px, py), dropout off. */
  Playground.prototype.predict = function (px, py) {
    const h = this.hidden;
    const [w1, w2, w3] = this.weights;
    const [b1, b2, b3] = this.biases;
    const a1 = this.d1;
    for (let j = 0; j < h; j++) {
      const z = b1[j] + px * w1[j] + py * w1[h + j];
      a1[j] = z > 0 ? z : 0;
    }
    const z2 = this.d2;
    z2.set(b2);
    for (let i = 0; i < h; i++) {
      const ai = a1[i];
      if (ai === 0) continue; // most ReLUs are off: skip their row
      const row = i * h;
      for (let j = 0; j < h; j++) z2[j] += ai * w2[row + j];
    }
    let out = b3[0];
    for (let j = 0; j < h; j++) if (z2[j] > 0) out += z2[j] * w3[j];
    return out >= 0 ? 1 / (1 + Math.exp(-out)) : Math.exp(out) / (1 + Math.exp(out));
  };

  /** Mean binary cross-entropy of the full network (dropout off) on a data set. */
  Playground.prototype.loss = function (data) {
    let total = 0;
    for (let i = 0; i < data.n; i++) {
      const p = Math.min(1 - 1e-7, Math.max(1e-7, this.predict(data.x[2 * i], data.x[2 * i + 1])));
      total -= data.y[i] ? Math.log(p) : Math.log(1 - p);
    }
    return total / data.n;
  };

  Playground.prototype.record = function () {
    this.history.push({ step: this.step, train: this.loss(this.train), test: this.loss(this.test) });
  };

  /** One full-batch Adam step with fresh dropout masks for every example. */
  Playground.prototype.trainStep = function () {
    this.gradients();
    this.adam();
  };

  /**
   * Fill this.grads with the gradient of the mean training loss, each example
   * passing through its own fresh dropout masks (backpropagation by hand).
   */
  Playground.prototype.gradients = function () {
    const h = this.hidden;
    const n = this.trainSize;
    const x = this.train.x;
    const y = this.train.y;
    const [w1, w2, w3] = this.weights;
    const [b1, b2, b3] = this.biases;
    const [gw1, gw2, gw3, gb1, gb2, gb3] = this.grads;
    for (const g of this.grads) g.fill(0);
    const rate = this.rate;
    const scale = 1 / (1 - rate);
    const random = this.random;
    const a1 = this.a1;
    const a2 = this.a2;
    const m1 = this.m1;
    const m2 = this.m2;
    const d1 = this.d1;
    const d2 = this.d2;
    for (let s = 0; s < n; s++) {
      const px = x[2 * s];
      const py = x[2 * s + 1];
      const o = s * h;
      // Forward, keeping each mask (0 or the scale) to route the gradient back.
      for (let j = 0; j < h; j++) {
        const z = b1[j] + px * w1[j] + py * w1[h + j];
        const keep = rate > 0 && random() < rate ? 0 : scale;
        m1[o + j] = z > 0 ? keep : 0; // the ReLU's derivative folded into the mask
        a1[o + j] = z > 0 ? z * keep : 0;
      }
      // Layer 2, row by row, skipping the units of layer 1 that are zero.
      d2.set(b2);
      for (let i = 0; i < h; i++) {
        const ai = a1[o + i];
        if (ai === 0) continue;
        const row = i * h;
        for (let j = 0; j < h; j++) d2[j] += ai * w2[row + j];
      }
      let out = b3[0];
      for (let j = 0; j < h; j++) {
        const z = d2[j];
        const keep = rate > 0 && random() < rate ? 0 : scale;
        m2[o + j] = z > 0 ? keep : 0;
        a2[o + j] = z > 0 ? z * keep : 0;
        out += a2[o + j] * w3[j];
      }
      const p = out >= 0 ? 1 / (1 + Math.exp(-out)) : Math.exp(out) / (1 + Math.exp(out));
      // Backward: d(loss)/d(out) of the mean cross-entropy is (p - y) / n.
      const g = (p - y[s]) / n;
      gb3[0] += g;
      for (let j = 0; j < h; j++) {
        gw3[j] += g * a2[o + j];
        d2[j] = g * w3[j] * m2[o + j];
        gb2[j] += d2[j];
      }
      for (let i = 0; i < h; i++) {
        const ai = a1[o + i];
        d1[i] = 0;
        if (ai === 0) continue; // dropped or off: no gradient through this unit
        let back = 0;
        const row = i * h;
        for (let j = 0; j < h; j++) {
          gw2[row + j] += ai * d2[j];
          back += w2[row + j] * d2[j];
        }
        d1[i] = back * m1[o + i];
      }
      for (let j = 0; j < h; j++) {
        gw1[j] += px * d1[j];
        gw1[h + j] += py * d1[j];
        gb1[j] += d1[j];
      }
    }
  };

  Playground.prototype.adam = function () {
    this.step += 1;
    const lr = this.learningRate;
    const beta1 = 0.9;
    const beta2 = 0.999;
    const c1 = 1 - Math.pow(beta1, this.step);
    const c2 = 1 - Math.pow(beta2, this.step);
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      const g = this.grads[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-7);
      }
    }
  };

  /** Train `steps` steps, recording the losses every `every` steps. */
  Playground.prototype.run = function (steps, every) {
    const interval = every || 10;
    for (let i = 0; i < steps; i++) {
      this.trainStep();
      if (this.step % interval === 0) this.record();
    }
    return this.history[this.history.length - 1];
  };

  Playground.prototype.latest = function () {
    return this.history[this.history.length - 1];
  };

  return {
    rng: rng,
    clamp: clamp,
    sampleMask: sampleMask,
    sampleMasks: sampleMasks,
    parseModel: parseModel,
    forward: forward,
    mcDropout: mcDropout,
    summary: summary,
    histogram: histogram,
    twoMoons: twoMoons,
    Playground: Playground,
    parseAttention: parseAttention,
    attentionProbabilities: attentionProbabilities,
    dropAttention: dropAttention,
    sampleKeep: sampleKeep,
  };
});
