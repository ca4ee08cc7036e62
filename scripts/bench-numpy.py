#!/usr/bin/env python3
"""NumPy reference for `npm run bench`: the same SAE training step and cross-seed assignment as the
lab, on the same machine, so the lab's timings can be printed as ratios. Never part of the product.

Prints one JSON object on stdout.
Usage: bench-numpy.py [--steps N] [--shape batch,d_in,d_sae] [--topk K --aux-k K_AUX] [--assign 1568,4096]
                      [--align-dir DIR --align 1568,4096]
Without --topk the step is the MNIST paper's ReLU + L1 step; with it, the Pythia paper's TopK step.
"""
import argparse
import json
import os
import platform
import time

import numpy as np


def median_ms(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))


def relu_sae_step(batch, d_in, d_sae, steps):
    """Forward, backward and Adam for MSE + 0.1·mean|f| with a unit-norm decoder, float32."""
    rng = np.random.default_rng(0)
    x = rng.random((batch, d_in), dtype=np.float32)
    W_dec = rng.standard_normal((d_sae, d_in), dtype=np.float32)
    W_dec /= np.linalg.norm(W_dec, axis=1, keepdims=True)
    params = {"W_enc": W_dec.T.copy(), "b_enc": np.zeros(d_sae, np.float32), "W_dec": W_dec, "b_dec": np.zeros(d_in, np.float32)}
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    t = [0]

    def step():
        p = params
        xc = x - p["b_dec"]
        z = xc @ p["W_enc"] + p["b_enc"]
        f = np.maximum(z, 0)
        x_hat = f @ p["W_dec"] + p["b_dec"]
        n = x.size
        d_xhat = 2 * (x_hat - x) / n
        g = {"W_dec": f.T @ d_xhat, "b_dec": d_xhat.sum(0)}
        d_f = d_xhat @ p["W_dec"].T + 0.1 * np.sign(f) / f.size
        d_z = d_f * (z > 0)
        g["W_enc"] = xc.T @ d_z
        g["b_enc"] = d_z.sum(0)
        g["b_dec"] -= (d_z @ p["W_enc"].T).sum(0)
        g["W_dec"] -= np.sum(g["W_dec"] * p["W_dec"], axis=1, keepdims=True) * p["W_dec"]
        t[0] += 1
        for k in p:
            m[k] = 0.9 * m[k] + 0.1 * g[k]
            v[k] = 0.999 * v[k] + 0.001 * g[k] ** 2
            p[k] -= 1e-3 * (m[k] / (1 - 0.9 ** t[0])) / (np.sqrt(v[k] / (1 - 0.999 ** t[0])) + 1e-8)
        p["W_dec"] /= np.linalg.norm(p["W_dec"], axis=1, keepdims=True)

    return median_ms(step, steps)


def topk_sae_step(batch, d_in, d_sae, k, k_aux, steps):
    """The Pythia paper's step, dense float32 as a PyTorch trainer would do it: encode, TopK(ReLU) via
    argpartition, decode, AuxK on the dead latents (mse of the residual's reconstruction from the top
    k_aux dead latents over the batch variance, weight 1/32), backward, global-norm clipping to 1, Adam.
    Nine [batch, d_in] x [d_in, d_sae]-sized products, like the lab's dense path."""
    rng = np.random.default_rng(0)
    x = rng.random((batch, d_in), dtype=np.float32)
    W_dec = rng.standard_normal((d_sae, d_in), dtype=np.float32)
    W_dec /= np.linalg.norm(W_dec, axis=1, keepdims=True)
    params = {"W_enc": W_dec.T.copy(), "b_enc": np.zeros(d_sae, np.float32), "W_dec": W_dec, "b_dec": x.mean(0)}
    m = {key: np.zeros_like(val) for key, val in params.items()}
    v = {key: np.zeros_like(val) for key, val in params.items()}
    # Half the latents dead, so AuxK has work; the lab's bench starts with none dead, which costs it
    # the same products (its AuxK always runs).
    dead = np.arange(d_sae) % 2 == 0
    rows = np.arange(batch)[:, None]
    t = [0]

    def select(z, kk):
        idx = np.argpartition(-z, kk - 1, axis=1)[:, :kk]
        vals = np.maximum(z[rows, idx], 0)
        f = np.zeros_like(z)
        f[rows, idx] = vals
        return f

    def step():
        p = params
        xc = x - p["b_dec"]
        z = xc @ p["W_enc"] + p["b_enc"]
        f = select(z, k)
        x_hat = f @ p["W_dec"] + p["b_dec"]
        e = x - x_hat
        f_aux = select(np.where(dead, z, np.float32(-1e30)), k_aux)
        e_hat = f_aux @ p["W_dec"]
        var = np.sum((x - x.mean(0)) ** 2)
        scale = min(dead.sum() / k_aux, 1.0)
        d_xhat = -2 * e / e.size  # d mse / d x_hat (the AuxK target e is detached)
        d_ehat = (1 / 32) * scale * 2 * (e_hat - e) / var
        g = {"W_dec": f.T @ d_xhat + f_aux.T @ d_ehat, "b_dec": d_xhat.sum(0)}
        d_z = (d_xhat @ p["W_dec"].T) * (f > 0) + (d_ehat @ p["W_dec"].T) * (f_aux > 0)
        g["W_enc"] = xc.T @ d_z
        g["b_enc"] = d_z.sum(0)
        g["b_dec"] -= (d_z @ p["W_enc"].T).sum(0)
        norm = np.sqrt(sum(np.sum(gk * gk) for gk in g.values()))
        clip = min(1.0, 1.0 / max(norm, 1e-12))
        t[0] += 1
        for key in p:
            gk = g[key] * clip
            m[key] = 0.9 * m[key] + 0.1 * gk
            v[key] = 0.999 * v[key] + 0.001 * gk * gk
            p[key] -= 5e-5 * (m[key] / (1 - 0.9 ** t[0])) / (np.sqrt(v[key] / (1 - 0.999 ** t[0])) + 1e-8)

    return median_ms(step, steps)


def assignment(n):
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(1)
    a = rng.standard_normal((n, 64)).astype(np.float32)
    b = rng.standard_normal((n, 64)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    s = np.abs(a @ b.T)
    t0 = time.perf_counter()
    linear_sum_assignment(s, maximize=True)
    return (time.perf_counter() - t0) * 1000


def align(folder, n, d_in=512):
    """The lab's alignPair work on the vectors it wrote (pair-<n>.f32: decoder A, encoder A, decoder B,
    encoder B, each [n, d_in] float32): |cos| of unit rows in float32 and linear_sum_assignment
    (maximize=True), decoder then encoder, one matrix at a time. Returns the time and both optimum totals."""
    from scipy.optimize import linear_sum_assignment

    parts = np.fromfile(os.path.join(folder, f"pair-{n}.f32"), dtype="<f4").reshape(4, n, d_in)
    out = {"cos_ms": 0.0, "lsa_ms": 0.0}
    for name, a, b in (("dec", parts[0], parts[2]), ("enc", parts[1], parts[3])):
        t0 = time.perf_counter()
        ua = a / np.linalg.norm(a, axis=1, keepdims=True)
        ub = b / np.linalg.norm(b, axis=1, keepdims=True)
        s = np.abs(ua @ ub.T)
        t1 = time.perf_counter()
        rows, cols = linear_sum_assignment(s, maximize=True)
        t2 = time.perf_counter()
        out["cos_ms"] += (t1 - t0) * 1000
        out["lsa_ms"] += (t2 - t1) * 1000
        out[f"{name}_total"] = float(s[rows, cols].astype(np.float64).sum())
        del s
    out["ms"] = out["cos_ms"] + out["lsa_ms"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--shape", default="512,784,1568", help="batch,d_in,d_sae")
    ap.add_argument("--topk", type=int, default=0, help="k of a TopK SAE (the Pythia step); 0: the ReLU + L1 step")
    ap.add_argument("--aux-k", type=int, default=256, help="k_aux of the TopK step's AuxK term")
    ap.add_argument("--assign", default="", help="comma-separated sizes for SciPy's linear_sum_assignment")
    ap.add_argument("--align", default="", help="comma-separated sizes of the SAE-pair alignment (needs --align-dir)")
    ap.add_argument("--align-dir", default="", help="folder with the lab's pair-<n>.f32 files")
    args = ap.parse_args()
    batch, d_in, d_sae = (int(s) for s in args.shape.split(","))
    out = {
        "numpy": np.__version__,
        "python": platform.python_version(),
        "blas_threads_env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        "step_ms": topk_sae_step(batch, d_in, d_sae, args.topk, args.aux_k, args.steps) if args.topk > 0 else relu_sae_step(batch, d_in, d_sae, args.steps),
        "assign_ms": {},
        "align": {},
    }
    for n in filter(None, args.assign.split(",")):
        out["assign_ms"][n] = assignment(int(n))
    for n in filter(None, args.align.split(",")):
        out["align"][n] = align(args.align_dir, int(n))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
