"""Reference values for BatchNormLab's convolution layers from PyTorch (Debian's python3-torch).

Reads JSON on stdin: {"cases": [case, ...]}. Every case has "op" ("conv", "pool" or "bn2d"), "dtype"
("float32" or "float64"), "shape" [N, C, H, W], "x" (N*C*H*W values, NCHW order) and "dy" (the upstream
gradient of the output, flattened the same way). Per op:
  conv: "out_channels", "kernel", "stride", "padding", "weight" (C_out*C*k*k values), "bias" (C_out values or null);
        returns y, x_grad, weight_grad, bias_grad (null without bias).
  pool: "kernel", "stride", "padding"; returns y, x_grad (MaxPool2d).
  bn2d: "eps", "momentum" (or null), "gamma", "beta", "warmup" (list of flattened batches of the same C, H, W,
        each with its own N in "warmup_n"); training-mode forward of every warm-up batch, then of x with the
        backward of sum(dy * y); returns y, x_grad, weight_grad, bias_grad, running_mean, running_var, and eval_y
        (an eval-mode forward of x).
Every tensor is returned flattened. Exits with code 3 if torch cannot be imported.
"""
import json
import sys

try:
    import torch
except ImportError:
    sys.stderr.write("torch is not importable by " + sys.executable + "\n")
    sys.exit(3)

torch.set_num_threads(1)


def flat(t):
    return t.detach().reshape(-1).tolist()


def run(case):
    dtype = {"float32": torch.float32, "float64": torch.float64}[case["dtype"]]
    n, c, h, w = case["shape"]
    x = torch.tensor(case["x"], dtype=dtype).reshape(n, c, h, w).requires_grad_(True)
    op = case["op"]
    result = {}
    if op == "conv":
        k = case["kernel"]
        conv = torch.nn.Conv2d(c, case["out_channels"], k, stride=case["stride"], padding=case["padding"],
                               bias=case["bias"] is not None, dtype=dtype)
        with torch.no_grad():
            conv.weight.copy_(torch.tensor(case["weight"], dtype=dtype).reshape(conv.weight.shape))
            if case["bias"] is not None:
                conv.bias.copy_(torch.tensor(case["bias"], dtype=dtype))
        y = conv(x)
        y.backward(torch.tensor(case["dy"], dtype=dtype).reshape(y.shape))
        result = {"y": flat(y), "x_grad": flat(x.grad), "weight_grad": flat(conv.weight.grad),
                  "bias_grad": flat(conv.bias.grad) if conv.bias is not None else None}
    elif op == "pool":
        pool = torch.nn.MaxPool2d(case["kernel"], stride=case["stride"], padding=case["padding"])
        y = pool(x)
        y.backward(torch.tensor(case["dy"], dtype=dtype).reshape(y.shape))
        result = {"y": flat(y), "x_grad": flat(x.grad)}
    elif op == "bn2d":
        bn = torch.nn.BatchNorm2d(c, eps=case["eps"], momentum=case["momentum"], dtype=dtype)
        with torch.no_grad():
            bn.weight.copy_(torch.tensor(case["gamma"], dtype=dtype))
            bn.bias.copy_(torch.tensor(case["beta"], dtype=dtype))
        bn.train()
        with torch.no_grad():
            for m, batch in zip(case["warmup_n"], case["warmup"]):
                bn(torch.tensor(batch, dtype=dtype).reshape(m, c, h, w))
        y = bn(x)
        y.backward(torch.tensor(case["dy"], dtype=dtype).reshape(y.shape))
        result = {"y": flat(y), "x_grad": flat(x.grad), "weight_grad": flat(bn.weight.grad),
                  "bias_grad": flat(bn.bias.grad), "running_mean": flat(bn.running_mean),
                  "running_var": flat(bn.running_var)}
        bn.eval()
        with torch.no_grad():
            result["eval_y"] = flat(bn(x.detach()))
    else:
        raise ValueError("unknown op " + op)
    return result


def main():
    request = json.load(sys.stdin)
    json.dump({"torch": torch.__version__, "results": [run(c) for c in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
