#!/usr/bin/env python3
"""Where a training step goes, ours against the PyTorch peers, on this CPU.

Profiles the same stretch of training steps on each side with libtorch's own profiler: ours
through DJL's JniUtils.startProfile in a JVM started as cifar:train starts its training JVM
(MALLOC_ARENA_MAX=1, C1; bench/profile/StepProfile.java), the peers through torch.profiler under
Debian's torch 1.13 and torch 2.13 from pip (with tcmalloc preloaded where installed, else with
the glibc settings ours runs with; bench/cpu.py's allocators()).
--network seed (the default): steps of epoch 3 (batch 128, Adam, the real CIFAR-10, NCHW) against
the tensor loop of peer/train_notebook.py. --network fast: steps of epoch 2 of 2 on 10,000 images
in float32 (batch 1024, channels-last, augmentation included; the images of
bench/train-throughput.py's fast runs), against peer/train_fast.py. For each side it splits the wall time of a step into the time
inside libtorch's operators (by group: convolutions, max pooling with its layout conversions,
batch norm, GELU, matrix products, the batch gather, the rest) and the time between operators,
which is the host language's share (Java and DJL for ours, Python for the peers; the interpreter
of a TorchScript call counts there too). The profilers slow every side a little, so compare the
sides with each other, not with bench/train-throughput.py's images/s; in fast, starting ours'
profiler moves its heap, so its first profiled steps fault in fresh memory (an aten::fill_ of
hundreds of ms under the max pools' backward, which unprofiled steps do not pay). Each side runs --rounds times, the sides in
turn, and every figure is the median over rounds (the machine drifts between minutes). The CPU
(bench/cpu.py) and the figures go to bench/results/step-profile.json, one entry per CPU kind
and network.

Needs: mvn install done; the peers as for bench/train-throughput.py.
Usage: bench/step-profile.py [--network seed|fast] [--steps 200 (fast: 6)] [--rounds 3] [--data DIR]
"""
import argparse, collections, json, os, statistics, subprocess, sys, tempfile, time
from cifar_images import default_data
from cpu import FAST_TRAIN, PYTHONS, allocators, cpu, kind, record_by_cpu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GROUPS = {
    "convolutions": {"aten::convolution_backward", "aten::mkldnn_convolution", "aten::_convolution"},
    "max pooling": {"aten::max_pool2d_with_indices", "aten::max_pool2d_with_indices_backward",
                    "aten::mkldnn_max_pool2d", "aten::mkldnn_max_pool2d_backward", "aten::to_mkldnn",
                    "aten::_to_dense", "aten::to_dense", "aten::to_dense_backward", "aten::to_mkldnn_backward"},
    "batch norm": {"aten::native_batch_norm", "aten::native_batch_norm_backward", "aten::_batch_norm_impl_index",
                   "aten::_batch_norm_impl_index_backward", "aten::batch_norm"},
    "GELU": {"aten::gelu", "aten::gelu_backward"},
    "matrix products": {"aten::mm", "aten::addmm"},
    "batch gather": {"aten::index"},
}

# per network: the epoch profiled (ours starts after its first step), the options of ours, the
# peers' label and the default number of profiled steps
NETWORKS = {"seed": (3, ["cifar.network=seed"], "pytorch-tensors", 200),
            "fast": (2, ["cifar.network=fast", "cifar.precision=float32", "cifar.trainSize=%d" % FAST_TRAIN],
                     "pytorch train_fast.py", 6)}

def profiled(step, steps, trace):
    """Runs step() steps times under torch.profiler and writes the Chrome trace."""
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CPU]) as p:
        for _ in range(steps):
            step()
    p.export_chrome_trace(trace)

def peer_child(network, data, steps, trace):
    """Runs in a peer's Python: the peer's loop of the network, profiled."""
    sys.path.insert(0, os.path.join(HERE, "peer"))
    if network == "fast":
        from train_fast import Run, tensors
        from cifar_binary import start
        perm = start(2, 42)
        images, labels = tensors(data)
        run = Run(images, labels, perm[:FAST_TRAIN], 2, 42)
        for _ in run.epoch(1):
            pass
        epoch = run.epoch(2)
        next(epoch)  # as ours, from the second step of the epoch
        profiled(lambda: next(epoch), steps, trace)
        return
    from train_notebook import setup, shuffled, tensors
    images, labels, train_idx, _, model, criterion, optimizer = setup(data, 2, 42)
    xt, yt = tensors(images, labels, train_idx)
    def batches():
        while True:
            yield from shuffled(xt, yt, whole=True)
    it = batches()
    def step():
        inputs, targets = next(it)
        optimizer.zero_grad()
        criterion(model(inputs), targets).backward()
        optimizer.step()
    for _ in range(2 * 352 + 1):  # two epochs' warm-up, as ours profiles its third epoch from its second step
        step()
    profiled(step, steps, trace)

def compile_ours(work):
    """The class path of training-core and the compiled StepProfile, in work/."""
    cp_file = os.path.join(work, "classpath.txt")
    subprocess.run(["mvn", "-B", "-q", "-o", "dependency:build-classpath", "-Dmdep.includeScope=runtime",
                    "-Dmdep.outputFile=" + cp_file], cwd=os.path.join(ROOT, "training-core"), check=True,
                   stdout=subprocess.DEVNULL)
    cp = os.path.join(ROOT, "training-core", "target", "classes") + os.pathsep + open(cp_file).read().strip()
    subprocess.run(["javac", "-d", work, "-cp", cp, os.path.join(HERE, "profile", "StepProfile.java")], check=True)
    return work + os.pathsep + cp

def run_ours(network, data, steps, trace, cp):
    env = dict(os.environ, MALLOC_ARENA_MAX="1")
    epoch, options = NETWORKS[network][:2]
    out = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-cp", cp, "StepProfile", data, trace, str(epoch),
                          str(steps)] + options, capture_output=True, text=True, env=env)
    if out.returncode != 0 or not os.path.exists(trace):
        sys.exit("StepProfile failed:\n" + out.stdout[-2000:] + out.stderr[-3000:])

def analyse(trace, steps):
    """Per step: wall, time in operators by group, time between operators (ms)."""
    ev = json.load(open(trace))
    ev = ev["traceEvents"] if isinstance(ev, dict) else ev
    # operators and autograd's nodes; a TorchScript call's records of its methods (ours) and
    # Optimizer.step (the peers) are host code, whose own time counts as between operators
    ev = [e for e in ev if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") == "cpu_op"
          and ("::" in e["name"] or e["name"].endswith(("Backward0", "Backward1")))]
    main = collections.Counter(e["tid"] for e in ev).most_common(1)[0][0]
    es = sorted((e for e in ev if e["tid"] == main), key=lambda e: (float(e["ts"]), -float(e["dur"])))
    own, stack, covered, reach = collections.Counter(), [], 0.0, None
    first = float(es[0]["ts"])
    for e in es:
        ts, dur = float(e["ts"]), float(e["dur"])
        while stack and stack[-1][0] + stack[-1][1] <= ts:
            stack.pop()
        if stack:
            own[stack[-1][2]] -= dur
        else:  # a top-level operator: it starts after every earlier one ended
            covered += dur
            reach = ts + dur if reach is None else max(reach, ts + dur)
        own[e["name"]] += dur
        stack.append((ts, dur, e["name"]))
    wall = reach - first
    ms = lambda us: us / 1e3 / steps
    groups = {g: ms(sum(v for k, v in own.items() if k in names)) for g, names in GROUPS.items()}
    groups["other operators"] = ms(covered) - sum(groups.values())
    return {"wall": ms(wall), "operators": ms(covered), "between": ms(wall - covered), "groups": groups,
            "top": [[k, ms(v)] for k, v in own.most_common(12)]}

def median_of(runs):
    """Each figure's median over a side's rounds; the operators' list of the round of median wall."""
    med = lambda f: statistics.median(f(r) for r in runs)
    middle = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
    return {"wall": med(lambda r: r["wall"]), "operators": med(lambda r: r["operators"]),
            "between": med(lambda r: r["between"]),
            "groups": {g: med(lambda r: r["groups"][g]) for g in runs[0]["groups"]},
            "top": middle["top"], "rounds": runs}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--network", choices=sorted(NETWORKS), default="seed")
    ap.add_argument("--steps", type=int, help="profiled steps per side (seed: 200, fast: 6)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--data", default=default_data(HERE))
    ap.add_argument("--peer-child", nargs=2, metavar=("STEPS", "TRACE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    data = os.path.abspath(a.data)
    if a.peer_child:
        peer_child(a.network, data, int(a.peer_child[0]), a.peer_child[1])
        return
    _, _, peer, default_steps = NETWORKS[a.network]
    steps = a.steps or default_steps
    machine = cpu()
    print("CPU: " + kind(machine), flush=True)
    rounds = collections.defaultdict(list)
    allocator_name, allocator = list(allocators().items())[-1]  # tcmalloc where installed
    with tempfile.TemporaryDirectory() as work:
        cp = compile_ours(work)
        for r in range(a.rounds):
            trace = os.path.join(work, "cifar.json")
            run_ours(a.network, data, steps, trace, cp)
            rounds["cifar (training JVM settings)"].append(analyse(trace, steps))
            for label, python in PYTHONS.items():
                if not os.path.exists(python):
                    print("skipping %s: no %s" % (label, python), file=sys.stderr)
                    continue
                trace = os.path.join(work, "peer.json")
                env = dict(os.environ, OPENBLAS_NUM_THREADS="1", **allocator)
                subprocess.run([python, os.path.abspath(__file__), "--data", data, "--network", a.network,
                                "--peer-child", str(steps), trace], check=True, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                rounds["%s %s, %s" % (peer, label, allocator_name)].append(analyse(trace, steps))
            print("round %d: %s" % (r + 1, ", ".join("%s %.2f ms" % (k, v[-1]["wall"]) for k, v in rounds.items())),
                  flush=True)
    sides = {name: median_of(runs) for name, runs in rounds.items()}
    print("\n%s, %d profiled steps per side, median of %d rounds; ms per step" % (a.network, steps, a.rounds))
    names = list(sides)
    print("| | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    rows = [("wall", "wall"), ("in operators", "operators")] + [("  " + g, g) for g in list(GROUPS) + ["other operators"]] \
        + [("between operators", "between")]
    for label, key in rows:
        vals = [s["groups"][key] if key in s["groups"] else s[key] for s in sides.values()]
        if key in GROUPS and not any(vals):
            continue
        print("| %s | %s |" % (label, " | ".join("%.2f" % v for v in vals)))
    for name, s in sides.items():
        print("\n%s, operators by own time (ms per step): %s" % (name, ", ".join("%s %.2f" % (k, v) for k, v in s["top"])))
    entry = {"date": time.strftime("%Y-%m-%d %H:%M"), "steps": steps, "rounds": a.rounds, "ms_per_step": sides}
    record_by_cpu("step-profile.json", {"cpu": machine, "networks": {a.network: entry}}, machine, merge=by_network)

def by_network(earlier, entry):
    """This CPU kind's entry with the networks profiled before (an entry without networks was seed's)."""
    networks = earlier.get("networks") or {"seed": {k: v for k, v in earlier.items() if k != "cpu"}}
    return {"cpu": entry["cpu"], "networks": {**networks, **entry["networks"]}}

if __name__ == "__main__":
    main()
