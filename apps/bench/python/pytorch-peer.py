"""The bench's pytorch peer: torch.optim.RMSprop driven over stdin/stdout, one JSON object per line.

Started by apps/bench (src/pytorch-peer.ts) with /usr/bin/python3. It answers each request with one line:

  (on start)                                              -> {"ready": true, "torch": "1.13.0", "threads": 1}
                                                             or {"error": "..."} when torch cannot be imported
  {"cmd": "setup", "id": 1, "dtype": "float32", "count": 1, "size": 100000,
   "lr": 0.001, "rho": 0.9, "eps": 1e-8, "momentum": 0.0, "centered": false}  -> {"ok": true}
  {"cmd": "run", "id": 1, "steps": 50}                    -> {"seconds": 0.1}  (timed here, around the steps only)
  {"cmd": "dispose", "id": 1}                             -> {"ok": true}
  {"cmd": "quit"}                                         -> exits

Parameters and gradients are made once (uniform magnitudes in [0.1, 1) with random signs, like the bench's
other implementations); each step is opt.step() on the gradients already in p.grad. One thread
(torch.set_num_threads(1)), foreach=True (the multi-tensor path), alpha = rho.
"""
import json
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


try:
    import torch
except Exception as error:  # ImportError, or a broken install
    reply({"error": "import torch failed: %s" % (error,)})
    sys.exit(0)

torch.set_num_threads(1)
reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()})


def values(count, size, dtype, generator):
    magnitude = 0.1 + 0.9 * torch.rand(size, generator=generator, dtype=dtype)
    sign = torch.where(torch.rand(size, generator=generator) < 0.5, -1.0, 1.0).to(dtype)
    return magnitude * sign


instances = {}
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    message = json.loads(line)
    command = message.get("cmd")
    try:
        if command == "setup":
            dtype = torch.float32 if message["dtype"] == "float32" else torch.float64
            generator = torch.Generator().manual_seed(1)
            params = []
            for _ in range(message["count"]):
                p = values(1, message["size"], dtype, generator).requires_grad_(True)
                p.grad = values(1, message["size"], dtype, generator)
                params.append(p)
            optimizer = torch.optim.RMSprop(
                params,
                lr=message["lr"],
                alpha=message["rho"],
                eps=message["eps"],
                momentum=message["momentum"],
                centered=message["centered"],
                foreach=True,
            )
            instances[message["id"]] = (optimizer, params)
            reply({"ok": True})
        elif command == "run":
            optimizer = instances[message["id"]][0]
            steps = message["steps"]
            start = time.perf_counter()
            for _ in range(steps):
                optimizer.step()
            reply({"seconds": time.perf_counter() - start})
        elif command == "dispose":
            instances.pop(message["id"], None)
            reply({"ok": True})
        elif command == "quit":
            break
        else:
            reply({"error": "unknown command %r" % (command,)})
    except Exception as error:
        reply({"error": "%s: %s" % (type(error).__name__, error)})
