#!/usr/bin/env python3
"""Training throughput, side by side in one run: cifar:train against PyTorch, on this CPU.

seed: the seed network, batch 128, Adam lr 0.001, 45,000/5,000 split of the real CIFAR-10,
4 epochs, against the same loop over pre-normalised tensors under both PyTorch peers (Debian's
torch 1.13 and torch 2.13 from pip) and the notebook's per-sample pipeline (torch 1.13).
fast: `-Dcifar.network=fast -Dcifar.precision=float32` on 10,000 training images for 4 epochs,
against bench/peer/train_fast.py (the same recipe, channels-last) under both peers. Ours runs
twice: as started (cifar:train forks its training JVM with MALLOC_ARENA_MAX=1, so every thread
allocates from glibc's main arena, which keeps blocks over 64 MB between steps; see
docs/training.md), and in Maven's JVM (-Dcifar.fork=false).
2 threads everywhere (PyTorch: torch.set_num_threads(2), OPENBLAS_NUM_THREADS=1). The peers run
under each allocator of bench/cpu.py: the glibc settings training applies itself (MALLOC_MMAP_MAX_,
MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_) and, where Debian's libtcmalloc-minimal4 is installed,
tcmalloc preloaded, as PyTorch's CPU guides recommend; the seed peers also as started. Each side runs --runs times, the
sides in reverse order every other run; figures are
medians over runs of the second half of each run's epochs (seed and fast: epochs 3-4), as
the first epochs pay warm-up (and fast's whitening bias learns in epochs 1-3 only: from epoch 4,
15 of the recipe's 18 epochs, no side computes the first convolution's input gradient), and dev
accuracy shows both did the same work. The CPU (bench/cpu.py) is recorded with the raw numbers in
bench/results/train-throughput.json, one entry per CPU kind.

Needs: mvn install done; Debian's python3-torch, python3-torchvision, libopenblas0-pthread,
libtcmalloc-minimal4, and a
venv with torch 2.13 at /opt/torch213 (or CIFAR_TORCH213_PYTHON): see bench/README.md.
Usage: bench/train-throughput.py [--networks seed,fast] [--runs 3] [--fast-runs 1] [--epochs 4] [--fast-epochs 4] [--data DIR]
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time
from cifar_images import default_data
from cpu import FAST_TRAIN, PYTHONS, allocators, cpu, kind, record_by_cpu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LINE = re.compile(r"epoch (\d+)/(\d+)  train loss [\d.]+ acc [\d.]+ \| dev loss [\d.]+ acc ([\d.]+) \| ([\d,]+) img/s \| ([\d.]+) s")

IN_MAVEN = "cifar, in Maven's JVM"

def run_cifar(data, epochs, network, fork=True):
    options = ["-Dcifar.fork=%s" % str(fork).lower()]
    options += [] if network == "seed" else ["-Dcifar.network=fast", "-Dcifar.precision=float32",
                                           "-Dcifar.trainSize=%d" % FAST_TRAIN]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["mvn", "-B", "-N", "-Dstyle.color=never", "dev.cifar:cifar-maven-plugin:0.1.0-SNAPSHOT:train",
               "-Dcifar.data=" + data, "-Dcifar.epochs=%d" % epochs, "-Dcifar.force", "-Dcifar.attach=false",
               "-Dcifar.output=" + os.path.join(tmp, "model.zip"), "-Dcifar.checkpoints=" + os.path.join(tmp, "ckpt"),
               "-Dcifar.report=" + os.path.join(tmp, "report.html")] + options
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        epochs_seen = []
        for m in LINE.finditer(out.stdout):
            epochs_seen.append({"epoch": int(m.group(1)), "images_per_second": float(m.group(4).replace(",", "")),
                                "epoch_seconds": float(m.group(5)), "dev_accuracy": float(m.group(3))})
        if len(epochs_seen) != epochs:
            sys.exit("cifar:train failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
        return epochs_seen

def run_peer(data, epochs, python, script, extra, env=None):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", **(env or {}))
    out = subprocess.run([python, os.path.join(HERE, "peer", script), "--data", data, "--epochs", str(epochs),
                          "--threads", "2"] + extra, capture_output=True, text=True, env=env)
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{") and '"final"' not in l]
    if len(rows) != epochs:
        sys.exit("peer failed:\n" + out.stderr[-3000:])
    for r in rows:
        r.setdefault("epoch_seconds", None)
    return rows

def sides(network, data, epochs):
    """(name, run) for each side of a network's comparison; ours first."""
    out = [("cifar", lambda: run_cifar(data, epochs, network)),
           (IN_MAVEN, lambda: run_cifar(data, epochs, network, fork=False))]
    for label, python in PYTHONS.items():
        if not os.path.exists(python):
            print("skipping %s: no %s" % (label, python), file=sys.stderr)
            continue
        if network == "seed":
            out.append(("pytorch-tensors " + label, lambda p=python: run_peer(data, epochs, p, "train_notebook.py",
                                                                              ["--pipeline", "tensors"])))
            for name, env in allocators().items():
                out.append(("pytorch-tensors %s, %s" % (label, name), lambda p=python, e=env: run_peer(
                    data, epochs, p, "train_notebook.py", ["--pipeline", "tensors"], e)))
        else:
            for name, env in allocators().items():
                out.append(("pytorch %s, %s" % (label, name), lambda p=python, e=env: run_peer(
                    data, epochs, p, "train_fast.py", ["--train-size", str(FAST_TRAIN)], e)))
    if network == "seed":
        out.append(("pytorch-notebook torch 1.13 (Debian)",
                    lambda: run_peer(data, epochs, "/usr/bin/python3", "train_notebook.py", ["--pipeline", "notebook"])))
    return out

def steady(rows, metric):
    """The median over the second half of a run's epochs: the first epochs pay warm-up (the JVM's
    JIT compiler is still at work in epoch 2 of the seed network on a 2-core machine)."""
    return statistics.median(r[metric] for r in rows[len(rows) // 2:])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--networks", default="seed,fast")
    ap.add_argument("--runs", type=int, default=3, help="runs of each side for seed")
    ap.add_argument("--fast-runs", type=int, default=1, help="runs of each side for fast (minutes each)")
    ap.add_argument("--epochs", type=int, default=4, help="epochs of each seed run")
    ap.add_argument("--fast-epochs", type=int, default=4, help="epochs of each fast run")
    ap.add_argument("--data", default=default_data(HERE))
    a = ap.parse_args()
    data = os.path.abspath(a.data)
    machine = cpu()
    print("CPU: " + kind(machine), flush=True)
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpu": machine, "cpu_kind": kind(machine),
              "epochs": {"seed": a.epochs, "fast": a.fast_epochs}, "networks": {}}
    for network in a.networks.split(","):
        runs = a.runs if network == "seed" else a.fast_runs
        epochs = a.epochs if network == "seed" else a.fast_epochs
        results = {}
        for r in range(runs):
            # every other run in reverse order, so that a drift of the machine over the minutes of a
            # run favours no side
            order = sides(network, data, epochs)
            for name, fn in (order if r % 2 == 0 else order[::-1]):
                rows = fn()
                results.setdefault(name, []).append(rows)
                print("%s run %d %-40s %s img/s, dev %.3f" % (network, r + 1, name, " ".join(
                      "%.0f" % e["images_per_second"] for e in rows), rows[-1]["dev_accuracy"]), flush=True)
        med = {k: {"images_per_second": statistics.median(steady(run, "images_per_second") for run in v),
                   "dev_accuracy": statistics.median(run[-1]["dev_accuracy"] for run in v)}
               for k, v in results.items()}
        report["networks"][network] = {"date": time.strftime("%Y-%m-%d %H:%M"), "runs": runs, "epochs": epochs,
                                       "raw": results, "median_steady": med}
        ours = med["cifar"]["images_per_second"]
        in_maven = med[IN_MAVEN]["images_per_second"]
        print()
        print("Training throughput, %s, %s, 2 threads, median of %d run(s) of epochs %d-%d"
              % (network, "batch 128, 45,000 images" if network == "seed" else "float32, batch 1024, %d images"
                 % FAST_TRAIN, runs, epochs // 2 + 1, epochs))
        print("CPU: " + kind(machine))
        print("| side | train images/s | cifar's ratio | in Maven's JVM | dev accuracy |")
        print("|---|---|---|---|---|")
        for name, m in med.items():
            peer = not name.startswith("cifar")
            print("| %s | %.0f | %s | %s | %.3f |" % (name, m["images_per_second"],
                  "%.2fx" % (ours / m["images_per_second"]) if peer else "",
                  "%.2fx" % (in_maven / m["images_per_second"]) if peer else "", m["dev_accuracy"]))
        print()
    # a run of one network keeps the other's
    record_by_cpu("train-throughput.json", report, machine,
                  lambda earlier, r: {**r, "networks": {**earlier.get("networks", {}), **r["networks"]}})

if __name__ == "__main__":
    main()
