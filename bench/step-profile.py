#!/usr/bin/env python3
"""Where a seed training step goes, ours against the PyTorch peers, on this CPU.

Profiles the same stretch of seed training steps (batch 128, Adam, the real CIFAR-10, NCHW) on
each side with libtorch's own profiler: ours through DJL's JniUtils.startProfile in a JVM
started as cifar:train starts its training JVM (MALLOC_ARENA_MAX=1, C1; bench/profile/
SeedStepProfile.java), the peers through torch.profiler over the tensor loop of
peer/train_notebook.py under Debian's torch 1.13 and torch 2.13 from pip (with cifar's glibc
settings, as ours runs with them). For each side it splits the wall time of a step into the time
inside libtorch's operators (by group: convolutions, max pooling with its layout conversions,
matrix products, the batch gather, the rest) and the time between operators, which is the host
language's share (Java and DJL for ours, Python for the peers; the interpreter of a TorchScript
call counts there too). The profilers slow every side a little, so compare the sides with each
other, not with bench/train-throughput.py's images/s. Each side runs --rounds times, the sides in
turn, and every figure is the median over rounds (the machine drifts between minutes). The CPU
(bench/cpu.py) and the figures go to bench/results/step-profile.json, one entry per CPU kind.

Needs: mvn install done; the peers as for bench/train-throughput.py.
Usage: bench/step-profile.py [--steps 200] [--rounds 3] [--data DIR]
"""
import argparse, collections, json, os, statistics, subprocess, sys, tempfile, time
from cifar_images import default_data
from cpu import GLIBC, PYTHONS, cpu, kind, record_by_cpu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GROUPS = {
    "convolutions": {"aten::convolution_backward", "aten::mkldnn_convolution", "aten::_convolution"},
    "max pooling": {"aten::max_pool2d_with_indices", "aten::max_pool2d_with_indices_backward",
                    "aten::mkldnn_max_pool2d", "aten::mkldnn_max_pool2d_backward", "aten::to_mkldnn",
                    "aten::_to_dense", "aten::to_dense", "aten::to_dense_backward", "aten::to_mkldnn_backward"},
    "matrix products": {"aten::mm", "aten::addmm"},
    "batch gather": {"aten::index"},
}

def peer_child(data, steps, trace):
    """Runs in a peer's Python: the tensor loop of peer/train_notebook.py, profiled."""
    sys.path.insert(0, os.path.join(HERE, "peer"))
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
    for _ in range(2 * 352):  # two epochs' warm-up, as ours profiles its third epoch
        step()
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CPU]) as p:
        for _ in range(steps):
            step()
    p.export_chrome_trace(trace)

def compile_ours(work):
    """The class path of training-core and the compiled SeedStepProfile, in work/."""
    cp_file = os.path.join(work, "classpath.txt")
    subprocess.run(["mvn", "-B", "-q", "-o", "dependency:build-classpath", "-Dmdep.includeScope=runtime",
                    "-Dmdep.outputFile=" + cp_file], cwd=os.path.join(ROOT, "training-core"), check=True,
                   stdout=subprocess.DEVNULL)
    cp = os.path.join(ROOT, "training-core", "target", "classes") + os.pathsep + open(cp_file).read().strip()
    subprocess.run(["javac", "-d", work, "-cp", cp, os.path.join(HERE, "profile", "SeedStepProfile.java")], check=True)
    return work + os.pathsep + cp

def run_ours(data, steps, trace, cp):
    env = dict(os.environ, MALLOC_ARENA_MAX="1")
    out = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-cp", cp, "SeedStepProfile", data, trace, "3",
                          str(steps)], capture_output=True, text=True, env=env)
    if out.returncode != 0 or not os.path.exists(trace):
        sys.exit("SeedStepProfile failed:\n" + out.stdout[-2000:] + out.stderr[-3000:])

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
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--data", default=default_data(HERE))
    ap.add_argument("--peer-child", nargs=2, metavar=("STEPS", "TRACE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    data = os.path.abspath(a.data)
    if a.peer_child:
        peer_child(data, int(a.peer_child[0]), a.peer_child[1])
        return
    machine = cpu()
    print("CPU: " + kind(machine), flush=True)
    rounds = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as work:
        cp = compile_ours(work)
        for r in range(a.rounds):
            trace = os.path.join(work, "cifar.json")
            run_ours(data, a.steps, trace, cp)
            rounds["cifar (training JVM settings)"].append(analyse(trace, a.steps))
            for label, python in PYTHONS.items():
                if not os.path.exists(python):
                    print("skipping %s: no %s" % (label, python), file=sys.stderr)
                    continue
                trace = os.path.join(work, "peer.json")
                env = dict(os.environ, OPENBLAS_NUM_THREADS="1", **GLIBC)
                subprocess.run([python, os.path.abspath(__file__), "--data", data, "--peer-child", str(a.steps),
                                trace], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                rounds["pytorch-tensors " + label].append(analyse(trace, a.steps))
            print("round %d: %s" % (r + 1, ", ".join("%s %.2f ms" % (k, v[-1]["wall"]) for k, v in rounds.items())),
                  flush=True)
    sides = {name: median_of(runs) for name, runs in rounds.items()}
    print("\nseed, batch 128, %d profiled steps per side, median of %d rounds; ms per step" % (a.steps, a.rounds))
    names = list(sides)
    print("| | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    rows = [("wall", "wall"), ("in operators", "operators")] + [("  " + g, g) for g in list(GROUPS) + ["other operators"]] \
        + [("between operators", "between")]
    for label, key in rows:
        vals = [s["groups"][key] if key in s["groups"] else s[key] for s in sides.values()]
        print("| %s | %s |" % (label, " | ".join("%.2f" % v for v in vals)))
    for name, s in sides.items():
        print("\n%s, operators by own time (ms per step): %s" % (name, ", ".join("%s %.2f" % (k, v) for k, v in s["top"])))
    record_by_cpu("step-profile.json", {"date": time.strftime("%Y-%m-%d %H:%M"), "cpu": machine, "steps": a.steps,
                                        "rounds": a.rounds, "ms_per_step": sides}, machine)

if __name__ == "__main__":
    main()
