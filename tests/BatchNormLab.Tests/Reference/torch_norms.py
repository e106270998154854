"""Reference values for BatchNormLab's group norm and weight norm from Debian's PyTorch (python3-torch), float64.

Reads JSON on stdin, one case: {"kind": "group", "groups": G, "eps": e, "gamma": [...], "beta": [...], "x": rows,
"dy": rows} or {"kind": "weight", "v": rows (in x out), "g": [...], "b": [...], "x": rows, "dy": rows}. Runs the
forward pass and backward of sum(dy * y); prints {"y", "x_grad", "grads": {name: flat list}}. Exits with code 3 if
torch cannot be imported.
"""
import json
import sys

try:
    import torch
except ImportError:
    sys.stderr.write("torch is not importable by " + sys.executable + "\n")
    sys.exit(3)

torch.set_num_threads(1)
d = torch.float64


def main():
    case = json.load(sys.stdin)
    x = torch.tensor(case["x"], dtype=d, requires_grad=True)
    dy = torch.tensor(case["dy"], dtype=d)
    if case["kind"] == "group":
        layer = torch.nn.GroupNorm(case["groups"], len(case["gamma"]), eps=case["eps"]).to(d)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor(case["gamma"], dtype=d))
            layer.bias.copy_(torch.tensor(case["beta"], dtype=d))
        y = layer(x)
        y.backward(dy)
        grads = {"gamma": layer.weight.grad.tolist(), "beta": layer.bias.grad.tolist()}
    else:
        v = torch.tensor(case["v"], dtype=d)  # in x out, as the library stores it
        linear = torch.nn.Linear(v.shape[0], v.shape[1]).to(d)
        with torch.no_grad():
            linear.weight.copy_(v.t())
            linear.bias.copy_(torch.tensor(case["b"], dtype=d))
        linear = torch.nn.utils.weight_norm(linear, dim=0)  # one g per output unit (row of the out x in weight)
        with torch.no_grad():
            linear.weight_g.copy_(torch.tensor(case["g"], dtype=d).reshape(-1, 1))
        y = linear(x)
        y.backward(dy)
        grads = {"v": linear.weight_v.grad.t().reshape(-1).tolist(), "g": linear.weight_g.grad.reshape(-1).tolist(),
                 "bias": linear.bias.grad.tolist()}
    json.dump({"version": torch.__version__, "y": y.detach().tolist(), "x_grad": x.grad.tolist(), "grads": grads}, sys.stdout)


main()
