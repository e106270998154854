"""The paper's network written by hand in NumPy: the bench's second peer.

This is how CS231n and most "from scratch" tutorials have their readers write it: one function per
layer, forward and backward, float32 arrays, plain SGD. The bench runs it with Debian's python3 and
python3-numpy on OpenBLAS (libopenblas0-pthread), one thread (OPENBLAS_NUM_THREADS=1).

Usage (the bench starts it; by hand only for debugging):
    python3 numpy_peer.py DIR
DIR holds what the bench exported once: config.txt (sizes, batch, batches, bn, lr, eps, momentum),
w0.f32 ... (the library's initial weights, in x out, row-major float32), images.f32 (batches x batch
x 784 float32) and labels.i32. Then it reads commands from stdin, one a line:
    train S   -> trains S more steps (cycling through the exported batches) and prints
                 "done WALL_SECONDS CPU_SECONDS LAST_LOSS"
    quit
"""
import os
import sys
import time

import numpy as np


def blas_name():
    """Which BLAS library NumPy really loaded (Debian switches libblas.so.3 by alternatives)."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line}
    except OSError:
        return "unknown"
    real = {os.path.realpath(lib) for lib in libs if lib.startswith("/")}
    if any("openblas" in lib for lib in real):
        return "OpenBLAS"
    if real:
        return "reference BLAS (slow): install libopenblas0-pthread"
    return "unknown"


def read_config(path):
    config = {}
    with open(path) as f:
        for line in f:
            key, value = line.split("=", 1)
            config[key.strip()] = value.strip()
    return config


class Network:
    """784-100-100-100-10: dense (no bias when BN follows) -> [BN] -> sigmoid, then dense -> softmax CE."""

    def __init__(self, weights, bn, lr, eps, momentum):
        self.bn = bn
        self.lr = np.float32(lr)
        self.eps = np.float32(eps)
        self.momentum = np.float32(momentum)
        self.W = weights
        self.b = [np.zeros(w.shape[1], np.float32) for w in weights]  # hidden biases unused with BN
        hidden = [w.shape[1] for w in weights[:-1]]
        self.gamma = [np.ones(d, np.float32) for d in hidden]
        self.beta = [np.zeros(d, np.float32) for d in hidden]
        self.running_mean = [np.zeros(d, np.float32) for d in hidden]
        self.running_var = [np.ones(d, np.float32) for d in hidden]

    def step(self, x, y):
        """One SGD step on batch (x, y); returns the loss before the update."""
        n = x.shape[0]
        L = len(self.W)
        inputs, xhats, inv_stds, outs = [], [], [], []
        h = x
        # Forward: hidden layers.
        for l in range(L - 1):
            inputs.append(h)
            u = h @ self.W[l]
            if self.bn:
                mu = u.mean(axis=0)
                var = u.var(axis=0)  # biased, as in Algorithm 1
                inv_std = 1 / np.sqrt(var + self.eps)
                xhat = (u - mu) * inv_std
                u = self.gamma[l] * xhat + self.beta[l]
                m = self.momentum
                self.running_mean[l] = (1 - m) * self.running_mean[l] + m * mu
                self.running_var[l] = (1 - m) * self.running_var[l] + m * var * np.float32(n / (n - 1))
                xhats.append(xhat)
                inv_stds.append(inv_std)
            else:
                u = u + self.b[l]
            h = 1 / (1 + np.exp(-u))
            outs.append(h)
        # Output layer and softmax cross-entropy, averaged over the batch.
        inputs.append(h)
        z = h @ self.W[-1] + self.b[-1]
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) - z[np.arange(n), y]))
        dz = e / s
        dz[np.arange(n), y] -= 1
        dz /= n
        # Backward.
        dW = [None] * L
        db = [None] * L
        dgamma = [None] * (L - 1)
        dbeta = [None] * (L - 1)
        dW[-1] = inputs[-1].T @ dz
        db[-1] = dz.sum(axis=0)
        dh = dz @ self.W[-1].T
        for l in reversed(range(L - 1)):
            a = outs[l]
            du = dh * a * (1 - a)
            if self.bn:
                xhat = xhats[l]
                dgamma[l] = (du * xhat).sum(axis=0)
                dbeta[l] = du.sum(axis=0)
                dxhat = du * self.gamma[l]
                # dx = (1/m)(1/σ)(m dxhat − Σ dxhat − xhat Σ dxhat·xhat)
                du = (inv_stds[l] / n) * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
            else:
                db[l] = du.sum(axis=0)
            dW[l] = inputs[l].T @ du
            if l > 0:
                dh = du @ self.W[l].T
        # Plain SGD, in place.
        for l in range(L):
            self.W[l] -= self.lr * dW[l]
            if db[l] is not None:
                self.b[l] -= self.lr * db[l]
        if self.bn:
            for l in range(L - 1):
                self.gamma[l] -= self.lr * dgamma[l]
                self.beta[l] -= self.lr * dbeta[l]
        return loss


def main():
    folder = sys.argv[1]
    config = read_config(os.path.join(folder, "config.txt"))
    sizes = [int(s) for s in config["sizes"].split(",")]
    batch, batches = int(config["batch"]), int(config["batches"])
    weights = [
        np.fromfile(os.path.join(folder, f"w{l}.f32"), np.float32).reshape(sizes[l], sizes[l + 1])
        for l in range(len(sizes) - 1)
    ]
    images = np.fromfile(os.path.join(folder, "images.f32"), np.float32).reshape(batches, batch, sizes[0])
    labels = np.fromfile(os.path.join(folder, "labels.i32"), np.int32).reshape(batches, batch)
    net = Network(weights, config["bn"] == "1", float(config["lr"]), float(config["eps"]), float(config["momentum"]))
    print(f"ready NumPy {np.__version__} on {blas_name()}, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}", flush=True)
    t = 0
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        steps = int(command[1])
        cpu, wall = time.thread_time(), time.perf_counter()
        loss = float("nan")
        for _ in range(steps):
            loss = net.step(images[t % batches], labels[t % batches])
            t += 1
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        print(f"done {wall:.9f} {cpu:.9f} {loss:.9g}", flush=True)


if __name__ == "__main__":
    main()
