#!/usr/bin/env python3
"""Accuracy targets of the networks and their recipes, on the real CIFAR-10.

Runs `cifar:train` (10 epochs each, 45,000/5,000 split, test on test_batch.bin) for:
  notebook  - the seed network with the notebook's training (Adam 0.001, batch 128, constant);
  seed      - the seed network regularised: flip + crop, warm-up then linear decay, flip TTA
              (target: dev accuracy >= 0.66 after 10 epochs);
  fast      - the strong network with its own recipe, `-Dcifar.network=fast` (target: dev
              accuracy >= 0.94 within 30 minutes of training on this 2-core CPU; the curve to
              beat: a PyTorch 1.13 airbench94 at 0.908 after 13.5 min and 0.938 after 20 min).
  fast-float32 - the same with float32 convolutions (`-Dcifar.precision=float32`; the recipe's
              default is bfloat16 on CPUs with AMX).
Prints a table with dev and test accuracy, training minutes, images/s and GFLOP/s (from the
FLOPs of a training step per image), the minutes to reach 0.90 and 0.938 dev accuracy (epoch
lines are measured with at most flip test-time augmentation; the final evaluation, the curve's
last point, with the run's own), and writes everything to bench/results/accuracy.json. With
--peer it also runs the same `fast` recipe in PyTorch 1.13 (bench/peer/train_fast.py) for a
side-by-side curve; `--only none --peer` runs the peer alone.

Needs: mvn install done (the plugin in the local repository); --peer needs Debian's
python3-torch and libopenblas0-pthread.
Usage: bench/accuracy.py [--only notebook,seed,fast,fast-float32,resnet18|none] [--epochs 10] [--seed N] [--peer] [--data DIR]
"""
import argparse, json, os, subprocess, sys, tempfile, time, zipfile
from cifar_images import default_data
from cpu import cpu, kind

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# multiply-accumulates of one forward pass per image, counted layer by layer; a training step
# costs about three forward passes (forward, and backward for inputs and weights); FLOPs = 2 MACs
FORWARD_MACS = {
    "seed": 28 * 28 * 6 * 75 + 10 * 10 * 16 * 150 + 1600 * 120 + 120 * 84 + 84 * 10,
    "fast": (31 * 31 * 24 * 12 + 31 * 31 * 64 * 216 + 15 * 15 * 64 * 576 + 15 * 15 * 256 * 576
             + 7 * 7 * 256 * 2304 + 7 * 7 * 256 * 2304 + 3 * 3 * 256 * 2304 + 256 * 10),
    "resnet18": (32 * 32 * 64 * 27 + 4 * 32 * 32 * 64 * 576
                 + 16 * 16 * 128 * 576 + 3 * 16 * 16 * 128 * 1152 + 16 * 16 * 128 * 64
                 + 8 * 8 * 256 * 1152 + 3 * 8 * 8 * 256 * 2304 + 8 * 8 * 256 * 128
                 + 4 * 4 * 512 * 2304 + 3 * 4 * 4 * 512 * 4608 + 4 * 4 * 512 * 256 + 512 * 10),
}
RUNS = {
    "notebook": ["-Dcifar.network=seed"],
    "seed": ["-Dcifar.network=seed", "-Dcifar.augment=flip,crop", "-Dcifar.schedule=linear",
             "-Dcifar.warmupEpochs=1", "-Dcifar.learningRate=0.004", "-Dcifar.batchSize=64", "-Dcifar.tta=flip"],
    "fast": ["-Dcifar.network=fast"],
    "fast-float32": ["-Dcifar.network=fast", "-Dcifar.precision=float32"],
    "resnet18": ["-Dcifar.network=resnet18"],
}
TARGETS = {"seed": 0.66, "fast": 0.94}
PEER_CURVE = "PyTorch 1.13 airbench94 (issue 6): 0.908 at 13.5 min, 0.938 at 20 min, about 510 img/s"

def train_gflop(network):
    return 3 * 2 * FORWARD_MACS[network] / 1e9

def run_cifar(name, data, epochs, seed=None):
    options = RUNS[name] + ([] if seed is None else ["-Dcifar.seed=%d" % seed])
    base = name.split("-")[0]
    network = base if base in ("fast", "resnet18") else "seed"
    with tempfile.TemporaryDirectory() as tmp:
        artifact = os.path.join(tmp, name + ".zip")
        cmd = ["mvn", "-B", "-N", "-Dstyle.color=never", "dev.cifar:cifar-maven-plugin:0.1.0-SNAPSHOT:train",
               "-Dcifar.data=" + data, "-Dcifar.epochs=%d" % epochs, "-Dcifar.force", "-Dcifar.attach=false",
               "-Dcifar.output=" + artifact, "-Dcifar.checkpoints=" + os.path.join(tmp, "ckpt"),
               "-Dcifar.report=" + os.path.join(tmp, "report.html")] + options
        started = time.time()
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.time() - started
        if out.returncode != 0 or not os.path.isfile(artifact):
            sys.exit("cifar:train failed:\n" + out.stdout[-4000:] + out.stderr[-2000:])
        with zipfile.ZipFile(artifact) as z:
            meta = json.loads(z.read("model.json"))
    elapsed, curve = 0.0, []
    for h in meta["history"]:
        elapsed += h["seconds"]
        curve.append({"epoch": h["epoch"], "minutes": elapsed / 60, "dev_accuracy": h["devAccuracy"],
                      "images_per_second": h["imagesPerSecond"]})
    # epoch lines use at most flip test-time augmentation; the final evaluation the run's own
    curve.append({"epoch": "final", "minutes": meta["trainingSeconds"] / 60, "dev_accuracy": meta["dev"]["accuracy"],
                  "images_per_second": curve[-1]["images_per_second"]})
    return {"run": name if seed is None else "%s-seed%d" % (name, seed), "network": network, "options": options,
            "epochs": epochs,
            "dev_accuracy": meta["dev"]["accuracy"], "test_accuracy": meta["test"]["accuracy"],
            "test_images": meta["test"]["count"], "training_minutes": meta["trainingSeconds"] / 60,
            "build_minutes": wall / 60, "images_per_second": sorted(c["images_per_second"] for c in curve[:-1])[(len(curve) - 1) // 2],
            "curve": curve}

def run_peer(data, epochs, seed):
    """The peer; with a seed, on the very images cifar:train uses with that seed (SplitIndices.java)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", MALLOC_MMAP_MAX_="0", MALLOC_TRIM_THRESHOLD_="17179869184")
    cmd = ["/usr/bin/python3", os.path.join(HERE, "peer", "train_fast.py"), "--data", data, "--epochs", str(epochs),
           "--threads", "2"]
    with tempfile.TemporaryDirectory() as tmp:
        if seed is not None:
            split = os.path.join(tmp, "split.json")
            with open(split, "w") as f:
                subprocess.run(["java", "-cp", os.path.join(ROOT, "training-core", "target", "classes"),
                                os.path.join(HERE, "peer", "SplitIndices.java"), str(seed)], stdout=f, check=True)
            cmd += ["--split", split, "--seed", str(seed)]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    lines = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    rows = [r for r in lines if "epoch" in r]
    final = [r for r in lines if r.get("final")]
    if len(rows) != epochs or not final:
        sys.exit("peer failed:\n" + out.stderr[-3000:])
    curve = [{"epoch": r["epoch"], "minutes": r["elapsed_seconds"] / 60, "dev_accuracy": r["dev_accuracy"],
              "images_per_second": r["images_per_second"]} for r in rows]
    curve.append({"epoch": "final", "minutes": final[0]["elapsed_seconds"] / 60,
                  "dev_accuracy": final[0]["dev_accuracy"], "images_per_second": curve[-1]["images_per_second"]})
    return {"run": "pytorch-fast" if seed is None else "pytorch-fast-split%d" % seed, "network": "fast",
            "epochs": epochs, "dev_accuracy": final[0]["dev_accuracy"],
            "test_accuracy": final[0].get("test_accuracy"), "test_images": final[0].get("test_images"),
            "training_minutes": final[0]["elapsed_seconds"] / 60,
            "images_per_second": sorted(r["images_per_second"] for r in rows)[len(rows) // 2], "curve": curve}

def minutes_to(curve, accuracy):
    for c in curve:
        if c["dev_accuracy"] >= accuracy:
            return "%.1f" % c["minutes"]
    return "not reached"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="notebook,seed,fast")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, help="cifar.seed of the runs (the split, shuffles and initial weights)")
    ap.add_argument("--peer", action="store_true", help="also run the fast recipe in PyTorch 1.13 (with --seed: on"
                    " cifar:train's split for that seed)")
    ap.add_argument("--data", default=default_data(HERE))
    a = ap.parse_args()
    data = os.path.abspath(a.data)
    results = []
    for name in [n for n in a.only.split(",") if n and n != "none"]:
        r = run_cifar(name, data, a.epochs, a.seed)
        results.append(r)
        print("%-8s dev %.4f test %.4f in %.1f min (%.0f img/s)" % (name, r["dev_accuracy"], r["test_accuracy"],
              r["training_minutes"], r["images_per_second"]), flush=True)
    if a.peer:
        results.append(run_peer(data, a.epochs, a.seed))
    print()
    print("Accuracy after %d epochs, real CIFAR-10 (45,000 train / 5,000 dev; test: the %s images of test_batch.bin)"
          % (a.epochs, results[0].get("test_images", "?")))
    print("| run | dev acc | test acc | target (dev) | train min | img/s | GFLOP/img (step) | GFLOP/s | min to 0.90 | min to 0.938 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        gflop = train_gflop(r["network"])
        target = TARGETS.get(r["network"]) if r["run"] != "notebook" else None
        verdict = "" if target is None else ("%.2f %s" % (target, "met" if r["dev_accuracy"] >= target else "NOT met"))
        print("| %s | %.4f | %s | %s | %.1f | %.0f | %.3f | %.0f | %s | %s |" % (
            r["run"], r["dev_accuracy"], "-" if r["test_accuracy"] is None else "%.4f" % r["test_accuracy"], verdict,
            r["training_minutes"], r["images_per_second"], gflop, gflop * r["images_per_second"],
            minutes_to(r["curve"], 0.90), minutes_to(r["curve"], 0.938)))
    if not a.peer:
        print("peer curve (not run here): " + PEER_CURVE)
    save(results)

def save(results):
    """Adds the runs to bench/results/accuracy.json, replacing earlier runs of the same name and epochs on the same CPU kind."""
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", "accuracy.json")
    kept = []
    if os.path.isfile(path):
        with open(path) as f:
            kept = json.load(f).get("results", [])
    date = time.strftime("%Y-%m-%d %H:%M")
    machine = cpu()
    for r in results:
        r["date"] = date
        r["cpu"] = machine
        r["cpu_kind"] = kind(machine)
    new = {(r["run"], r["epochs"], r["cpu_kind"]) for r in results}
    kept = [r for r in kept if (r["run"], r["epochs"], r.get("cpu_kind")) not in new] + results
    with open(path, "w") as f:
        json.dump({"results": kept}, f, indent=1)

if __name__ == "__main__":
    main()
