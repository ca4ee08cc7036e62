#!/usr/bin/env python3
"""NumPy reference for `npm run bench -- --only sweep`: trains the same sweep as the runner (every
configuration once per seed, then each configuration's seeds aligned pairwise), so the runner's SAEs per
hour can be printed next to NumPy's. Never part of the product.

The sweep is read as JSON on stdin (written by src/cli/bench-sweep.ts from the lab's own preset):
  {"data": "rows.f32", "rows": R, "d_in": D, "seeds": [...],
   "entries": [{"name", "d_sae", "batch", "steps", "l1", "lr", "beta1", "beta2", "eps",
                "penalty": {"kind": "none" | "l2" | "l2-unsquared" | "l1", "coeff", "on": "both" | "encoder" | "decoder"}}]}
Each SAE is the constrained ReLU + L1 SAE of the paper's MNIST code: tied init, unit-norm decoder
renormalised after each Adam step, b_dec at the geometric median (Weiszfeld), a fresh permutation per
epoch with the last partial batch dropped. Prints one JSON object: the wall time of the whole sweep.
"""
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def geometric_median(x, iterations=20):
    m = x.mean(0)
    for _ in range(iterations):
        w = 1 / np.maximum(np.linalg.norm(x - m, axis=1), 1e-8)
        m = (w[:, None] * x).sum(0) / w.sum()
    return m.astype(np.float32)


def penalty_grad(w, kind, coeff):
    if kind == "l2":
        return 2 * coeff * w
    if kind == "l2-unsquared":
        return coeff * w / max(float(np.linalg.norm(w)), 1e-12)
    if kind == "l1":
        return coeff * np.sign(w) / w.size
    return None


def train(x, entry, seed):
    rng = np.random.default_rng(seed)
    n, d_in = x.shape
    d_sae, batch = entry["d_sae"], entry["batch"]
    W_dec = rng.standard_normal((d_sae, d_in), dtype=np.float32)
    W_dec /= np.linalg.norm(W_dec, axis=1, keepdims=True)
    p = {"W_enc": W_dec.T.copy(), "b_enc": np.zeros(d_sae, np.float32), "W_dec": W_dec, "b_dec": geometric_median(x[: min(n, 10_000)])}
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(v) for k, v in p.items()}
    b1, b2, eps, lr, l1 = entry["beta1"], entry["beta2"], entry["eps"], entry["lr"], entry["l1"]
    pen = entry["penalty"]
    penalised = {"both": ("W_enc", "W_dec"), "encoder": ("W_enc",), "decoder": ("W_dec",)}[pen["on"]]
    per_epoch = n // batch
    order = None
    for t in range(1, entry["steps"] + 1):
        i = (t - 1) % per_epoch
        if i == 0:
            order = rng.permutation(n)
        xb = x[order[i * batch : (i + 1) * batch]]
        xc = xb - p["b_dec"]
        z = xc @ p["W_enc"] + p["b_enc"]
        f = np.maximum(z, 0)
        x_hat = f @ p["W_dec"] + p["b_dec"]
        d_xhat = 2 * (x_hat - xb) / xb.size
        g = {"W_dec": f.T @ d_xhat, "b_dec": d_xhat.sum(0)}
        d_z = (d_xhat @ p["W_dec"].T + l1 * np.sign(f) / f.size) * (z > 0)
        g["W_enc"] = xc.T @ d_z
        g["b_enc"] = d_z.sum(0)
        g["b_dec"] -= (d_z @ p["W_enc"].T).sum(0)
        for k in penalised:
            extra = penalty_grad(p[k], pen["kind"], pen["coeff"])
            if extra is not None:
                g[k] += extra
        for k in p:
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
            p[k] -= lr * (m[k] / (1 - b1**t)) / (np.sqrt(v[k] / (1 - b2**t)) + eps)
        p["W_dec"] /= np.linalg.norm(p["W_dec"], axis=1, keepdims=True)
    return p


def mean_matched_cos(a, b):
    ua = a / np.linalg.norm(a, axis=1, keepdims=True)
    ub = b / np.linalg.norm(b, axis=1, keepdims=True)
    s = np.abs(ua @ ub.T)
    rows, cols = linear_sum_assignment(s, maximize=True)
    return float(s[rows, cols].mean())


def main():
    sweep = json.load(sys.stdin)
    t0 = time.perf_counter()
    x = np.fromfile(sweep["data"], dtype="<f4").reshape(sweep["rows"], sweep["d_in"])
    alignment = {}
    for entry in sweep["entries"]:
        decoders = [train(x, entry, seed)["W_dec"] for seed in sweep["seeds"]]
        pairs = [(i, j) for i in range(len(decoders)) for j in range(i + 1, len(decoders))]
        alignment[entry["name"]] = [mean_matched_cos(decoders[i], decoders[j]) for i, j in pairs]
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "seconds": seconds,
        "saes": len(sweep["entries"]) * len(sweep["seeds"]),
        "alignment": alignment,
        "numpy": np.__version__,
        "blas_threads_env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
    }))


if __name__ == "__main__":
    main()
