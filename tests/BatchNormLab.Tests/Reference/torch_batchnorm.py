"""Reference values for BatchNormLab's batch norm from PyTorch's BatchNorm1d (Debian's python3-torch).

Reads JSON on stdin: {"cases": [{"dtype": "float32"|"float64", "eps": e, "momentum": m or null,
"gamma": [...], "beta": [...], "warmup": [batch, ...], "x": batch, "dy": batch}]}, a batch being a list of
rows. For each case, in this order: training-mode forward of every warm-up batch; training-mode forward of
x and backward of sum(dy * y); the running statistics; an eval-mode forward of x, and its backward of
sum(dy * y) with x requiring grad (gradients through the fixed running statistics). Prints one JSON object
per case (a list under "results"). Exits with code 3 if torch cannot be imported, so a caller can try
another interpreter.
"""
import json
import sys

try:
    import torch
except ImportError:
    sys.stderr.write("torch is not importable by " + sys.executable + "\n")
    sys.exit(3)

torch.set_num_threads(1)


def run(case):
    dtype = {"float32": torch.float32, "float64": torch.float64}[case["dtype"]]
    gamma = torch.tensor(case["gamma"], dtype=dtype)
    bn = torch.nn.BatchNorm1d(len(case["gamma"]), eps=case["eps"], momentum=case["momentum"], dtype=dtype)
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(torch.tensor(case["beta"], dtype=dtype))
    bn.train()
    with torch.no_grad():
        for batch in case["warmup"]:
            bn(torch.tensor(batch, dtype=dtype))
    x = torch.tensor(case["x"], dtype=dtype, requires_grad=True)
    y = bn(x)
    y.backward(torch.tensor(case["dy"], dtype=dtype))
    result = {
        "train_y": y.detach().tolist(),
        "x_grad": x.grad.tolist(),
        "weight_grad": bn.weight.grad.tolist(),
        "bias_grad": bn.bias.grad.tolist(),
        "running_mean": bn.running_mean.tolist(),
        "running_var": bn.running_var.tolist(),
    }
    bn.eval()
    bn.weight.grad = None
    bn.bias.grad = None
    x_eval = x.detach().clone().requires_grad_(True)
    y_eval = bn(x_eval)
    y_eval.backward(torch.tensor(case["dy"], dtype=dtype))
    result["eval_y"] = y_eval.detach().tolist()
    result["eval_x_grad"] = x_eval.grad.tolist()
    result["eval_weight_grad"] = bn.weight.grad.tolist()
    result["eval_bias_grad"] = bn.bias.grad.tolist()
    return result


def main():
    request = json.load(sys.stdin)
    json.dump({"torch": torch.__version__, "results": [run(c) for c in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
