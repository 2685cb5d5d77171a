#!/usr/bin/env python3
"""Training throughput, side by side in one run: cifar:train against PyTorch, on this CPU.

seed: the seed network, batch 128, Adam lr 0.001, 45,000/5,000 split of the real CIFAR-10,
4 epochs, against the same loop over pre-normalised tensors under both PyTorch peers (Debian's
torch 1.13 and torch 2.13 from pip) and the notebook's per-sample pipeline (torch 1.13).
fast: `-Dcifar.network=fast -Dcifar.precision=float32` on 10,000 training images for 4 epochs,
against bench/peer/train_fast.py (the same recipe, channels-last) under both peers. The peers run
under each allocator of bench/cpu.py: the glibc settings training applies itself (MALLOC_MMAP_MAX_,
MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_) and, where Debian's libtcmalloc-minimal4 is installed,
tcmalloc preloaded, as PyTorch's CPU guides recommend; the seed peers also as started. 2 threads
everywhere (PyTorch: torch.set_num_threads(2), OPENBLAS_NUM_THREADS=1).

Every other side runs interleaved with ours (cifar:train as started: it forks its training JVM
with MALLOC_ARENA_MAX=1, so every thread allocates from glibc's main arena, which keeps blocks
over 64 MB between steps; see docs/training.md), epoch by epoch: both processes are started, and
only one runs at a time; when the running one logs an epoch, its process group is stopped
(SIGSTOP) and the other continued (SIGCONT); a side that has logged its last epoch waits stopped
for the other's last, so that no epoch follows the other side's final evaluation or exit (a stop
of a minute or more, after which a side's epoch came out slower); then both finish. So the epochs compared were
run seconds apart, not minutes, and the machine's drift (up to 40% between minutes on the shared
machines this project has run on) falls on both alike; which side starts alternates between runs,
and so does the order of the pairs. A side's own clock counts the seconds it was stopped: an
epoch's training time is corrected by the stop that fell inside it (the script knows each stop to
the millisecond, and whether it fell inside the side's epoch from the side's own epoch seconds).
Ours in Maven's JVM (-Dcifar.fork=false) is one of the other sides. A pair's figures are the
medians of the second half of each side's epochs (seed and fast: epochs 3-4), as the first epochs
pay warm-up (and fast's whitening bias learns in epochs 1-3 only: from epoch 4, 15 of the recipe's
18 epochs, no side computes the first convolution's input gradient); ours' ratio to a side is the
median over runs of the pair's ratio, and dev accuracy shows both did the same work. The CPU
(bench/cpu.py) is recorded with the raw numbers (the sides' own figures, the stops, the corrected
figures) in bench/results/train-throughput.json, one entry per CPU kind.

Needs: mvn install done; Debian's python3-torch, python3-torchvision, libopenblas0-pthread,
libtcmalloc-minimal4, and a venv with torch 2.13 at /opt/torch213 (or CIFAR_TORCH213_PYTHON): see
bench/README.md. Memory: two sides resident at once (fast: up to 11 GB).
Usage: bench/train-throughput.py [--networks seed,fast] [--runs 3] [--fast-runs 1] [--epochs 4] [--fast-epochs 4]
       [--side NAME]... [--data DIR]
"""
import argparse, json, os, queue, re, signal, statistics, subprocess, sys, tempfile, threading, time
from cifar_images import default_data
from cpu import FAST_TRAIN, PYTHONS, allocators, cpu, kind, record_by_cpu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LINE = re.compile(r"epoch (\d+)/(\d+)  train loss [\d.]+ acc [\d.]+ \| dev loss [\d.]+ acc ([\d.]+) \| ([\d,]+) img/s \| ([\d.]+) s")
TRAIN_IMAGES = {"seed": 45000, "fast": FAST_TRAIN}

OURS = "cifar"
IN_MAVEN = "cifar, in Maven's JVM"

class Side:
    """One training process of a pair: started, stopped and continued as a process group; its
    epoch lines, each with the moment it arrived, and the intervals it spent stopped."""

    def __init__(self, name, cmd, env, parse):
        self.name, self.cmd, self.env, self.parse = name, cmd, env, parse
        self.proc, self.epochs, self.stops, self.stopped_at, self.done = None, [], [], None, False

    def start(self, events, work):
        self.err = open(os.path.join(work, "%d.err" % id(self)), "w+")
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=self.err,
                                     text=True, start_new_session=True)
        self.tail = []
        def read():
            for line in self.proc.stdout:
                events.put((self, time.monotonic(), line))
            events.put((self, time.monotonic(), None))
        threading.Thread(target=read, daemon=True).start()

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGSTOP)
        self.stopped_at = time.monotonic()

    def cont(self):
        now = time.monotonic()
        os.killpg(self.proc.pid, signal.SIGCONT)
        self.stops.append((self.stopped_at, now))
        self.stopped_at = None

    def output(self):
        self.err.seek(0)
        return "".join(self.tail[-40:]) + self.err.read()[-3000:]

def cifar_epoch(line):
    m = LINE.search(line)
    return m and {"epoch": int(m.group(1)), "images_per_second": float(m.group(4).replace(",", "")),
                  "epoch_seconds": float(m.group(5)), "dev_accuracy": float(m.group(3))}

def peer_epoch(line):
    return json.loads(line) if line.startswith("{") and '"final"' not in line else None

def cifar_side(name, data, epochs, network, work, fork=True):
    tmp = tempfile.mkdtemp(dir=work)
    options = ["-Dcifar.fork=%s" % str(fork).lower()]
    options += [] if network == "seed" else ["-Dcifar.network=fast", "-Dcifar.precision=float32",
                                           "-Dcifar.trainSize=%d" % FAST_TRAIN]
    cmd = ["mvn", "-B", "-N", "-Dstyle.color=never", "dev.cifar:cifar-maven-plugin:0.1.0-SNAPSHOT:train",
           "-Dcifar.data=" + data, "-Dcifar.epochs=%d" % epochs, "-Dcifar.force", "-Dcifar.attach=false",
           "-Dcifar.output=" + os.path.join(tmp, "model.zip"), "-Dcifar.checkpoints=" + os.path.join(tmp, "ckpt"),
           "-Dcifar.report=" + os.path.join(tmp, "report.html")] + options
    return Side(name, cmd, dict(os.environ), cifar_epoch)

def peer_side(name, data, epochs, python, script, extra, env=None):
    cmd = [python, os.path.join(HERE, "peer", script), "--data", data, "--epochs", str(epochs), "--threads", "2"] + extra
    return Side(name, cmd, dict(os.environ, OPENBLAS_NUM_THREADS="1", **(env or {})), peer_epoch)

def others(network, data, epochs, work):
    """The sides ours is compared with, each as a function of nothing that makes its Side."""
    out = [(IN_MAVEN, lambda: cifar_side(IN_MAVEN, data, epochs, network, work, fork=False))]
    for label, python in PYTHONS.items():
        if not os.path.exists(python):
            print("skipping %s: no %s" % (label, python), file=sys.stderr)
            continue
        if network == "seed":
            name = "pytorch-tensors " + label
            out.append((name, lambda p=python, n=name: peer_side(n, data, epochs, p, "train_notebook.py",
                                                                 ["--pipeline", "tensors"])))
            for alloc, env in allocators().items():
                name = "pytorch-tensors %s, %s" % (label, alloc)
                out.append((name, lambda p=python, e=env, n=name: peer_side(
                    n, data, epochs, p, "train_notebook.py", ["--pipeline", "tensors"], e)))
        else:
            for alloc, env in allocators().items():
                name = "pytorch %s, %s" % (label, alloc)
                out.append((name, lambda p=python, e=env, n=name: peer_side(
                    n, data, epochs, p, "train_fast.py", ["--train-size", str(FAST_TRAIN)], e)))
    if network == "seed":
        name = "pytorch-notebook torch 1.13 (Debian)"
        out.append((name, lambda: peer_side(name, data, epochs, "/usr/bin/python3", "train_notebook.py",
                                            ["--pipeline", "notebook"])))
    return out

def interleaved(first, second, epochs, work):
    """Runs two sides epoch by epoch, one process at a time: when the running side logs an epoch,
    it is stopped and the other started or continued. A side that has logged its last epoch waits
    stopped too, so that each side's epochs follow one epoch of the other, never the other's final
    evaluation or exit; when both have logged every epoch, both finish."""
    events, pair = queue.Queue(), (first, second)
    first.start(events, work)
    try:
        while not all(s.done for s in pair):
            side, arrived, line = events.get()
            other = second if side is first else first
            if line is None:
                side.proc.wait()
                side.done = True
                if side.proc.returncode != 0 or len(side.epochs) != epochs:
                    sys.exit("%s failed (exit %s):\n%s" % (side.name, side.proc.returncode, side.output()))
                continue
            side.tail.append(line)
            row = side.parse(line)
            if row is None:
                continue
            row["arrived"] = arrived
            side.epochs.append(row)
            if len(other.epochs) < epochs:
                side.stop()
                other.start(events, work) if other.proc is None else other.cont()
            elif other.stopped_at is not None:
                other.cont()
    finally:
        for s in pair:
            if s.proc is not None:
                if s.proc.poll() is None:
                    os.killpg(s.proc.pid, signal.SIGKILL)
                s.err.close()

def corrected(side, images):
    """The side's epochs with their training images/s corrected for the stop inside each: a side's
    clock runs on while it is stopped. A stop that began after an epoch's line fell inside the next
    epoch when that epoch's own seconds span the stop; otherwise it fell between epochs, outside
    the side's clock."""
    out, previous = [], None
    for row in side.epochs:
        own = row["epoch_seconds"]  # the side's own clock, from the epoch's start to its line
        train = images / row["images_per_second"]
        stopped, inside = 0.0, False
        if previous is not None:
            stopped = sum(b - a for a, b in side.stops if previous["arrived"] <= a < row["arrived"])
            inside = 0 < stopped <= own and (row["arrived"] - previous["arrived"]) - own < stopped / 2
        if inside:
            train -= stopped
        if train <= 0:
            sys.exit("%s: epoch %d's stop of %.2f s does not fit its %.2f s" % (side.name, row["epoch"], stopped, own))
        out.append({"epoch": row["epoch"], "images_per_second": images / train, "reported": row["images_per_second"],
                    "stopped_seconds": stopped if inside else 0.0, "dev_accuracy": row["dev_accuracy"]})
        previous = row
    return out

def steady(rows):
    """The median over the second half of a run's epochs: the first epochs pay warm-up (the JVM's
    JIT compiler is still at work in epoch 2 of the seed network on a 2-core machine)."""
    return statistics.median(r["images_per_second"] for r in rows[len(rows) // 2:])

def summary(name, runs_of_pair, runs):
    """A pair's figures over its runs: each side's median, and the median of the per-run ratios."""
    theirs = [steady(run[name]) for run in runs_of_pair]
    ours = [steady(run[OURS]) for run in runs_of_pair]
    ratios = [o / t for o, t in zip(ours, theirs)]
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "runs": runs,
            "images_per_second": statistics.median(theirs), "ours_images_per_second": statistics.median(ours),
            "ratio": statistics.median(ratios), "ratios": ratios,
            "dev_accuracy": statistics.median(run[name][-1]["dev_accuracy"] for run in runs_of_pair),
            "ours_dev_accuracy": statistics.median(run[OURS][-1]["dev_accuracy"] for run in runs_of_pair)}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--networks", default="seed,fast")
    ap.add_argument("--runs", type=int, default=3, help="runs of each pair for seed")
    ap.add_argument("--fast-runs", type=int, default=1, help="runs of each pair for fast (minutes each)")
    ap.add_argument("--epochs", type=int, default=4, help="epochs of each seed run")
    ap.add_argument("--fast-epochs", type=int, default=4, help="epochs of each fast run")
    ap.add_argument("--side", action="append", help="only the sides whose names contain this (repeatable), "
                    "e.g. --side \"torch 2.13 (pip), tcmalloc\"")
    ap.add_argument("--data", default=default_data(HERE))
    a = ap.parse_args()
    # a stopped side must not outlive the script: SIGTERM unwinds as SIGINT does, through the
    # cleanup of interleaved()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    data = os.path.abspath(a.data)
    machine = cpu()
    print("CPU: " + kind(machine), flush=True)
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpu": machine, "cpu_kind": kind(machine),
              "method": "interleaved pairs", "epochs": {"seed": a.epochs, "fast": a.fast_epochs}, "networks": {}}
    for network in a.networks.split(","):
        runs = a.runs if network == "seed" else a.fast_runs
        epochs = a.epochs if network == "seed" else a.fast_epochs
        pairs = {}
        with tempfile.TemporaryDirectory() as work:
            for r in range(runs):
                # every other run the pairs in reverse order and the other side first, so that
                # neither the drift over a run nor the first turn favours a side
                order = [(name, make) for name, make in others(network, data, epochs, work)
                         if not a.side or any(part in name for part in a.side)]
                for name, make in (order if r % 2 == 0 else order[::-1]):
                    ours, other = cifar_side(OURS, data, epochs, network, work), make()
                    interleaved(*((ours, other) if r % 2 == 0 else (other, ours)), epochs, work)
                    rows = {s.name: corrected(s, TRAIN_IMAGES[network]) for s in (ours, other)}
                    pairs.setdefault(name, []).append(rows)
                    print("%s run %d %-50s %s img/s, dev %.3f; ours %s" % (
                        network, r + 1, name, " ".join("%.0f" % e["images_per_second"] for e in rows[name]),
                        rows[name][-1]["dev_accuracy"],
                        " ".join("%.0f" % e["images_per_second"] for e in rows[OURS])), flush=True)
        med = {name: summary(name, v, runs) for name, v in pairs.items()}
        report["networks"][network] = {"date": time.strftime("%Y-%m-%d %H:%M"), "runs": runs, "epochs": epochs,
                                       "pairs": pairs, "median_steady": med}
        print()
        print("Training throughput, %s, %s, 2 threads, each side interleaved epoch by epoch with ours, "
              "median of %d run(s) of epochs %d-%d"
              % (network, "batch 128, 45,000 images" if network == "seed" else "float32, batch 1024, %d images"
                 % FAST_TRAIN, runs, epochs // 2 + 1, epochs))
        print("CPU: " + kind(machine))
        print("| side | train images/s | ours, interleaved with it | ours / this side (runs) | dev accuracy (ours) |")
        print("|---|---|---|---|---|")
        for name, m in med.items():
            print("| %s | %.0f | %.0f | %.2fx (%s) | %.3f (%.3f) |" % (
                name, m["images_per_second"], m["ours_images_per_second"], m["ratio"],
                ", ".join("%.2f" % x for x in m["ratios"]), m["dev_accuracy"], m["ours_dev_accuracy"]))
        print(flush=True)
        # after each network; a run of one network keeps the other's, a run of some sides (--side)
        # the other sides' pairs
        record_by_cpu("train-throughput.json", report, machine, lambda earlier, r: kept(earlier, r, bool(a.side)))

def kept(earlier, report, some_sides):
    """This run's report with the networks of the earlier entry it did not run, and with --side,
    the pairs of the earlier run of the same network and method it did not run."""
    networks = dict(earlier.get("networks", {}))
    for network, entry in report["networks"].items():
        before = networks.get(network, {})
        if some_sides and earlier.get("method") == report["method"] and "pairs" in before:
            entry = dict(entry, pairs={**before["pairs"], **entry["pairs"]},
                         median_steady={**before["median_steady"], **entry["median_steady"]})
        networks[network] = entry
    return {**report, "networks": networks}

if __name__ == "__main__":
    main()
