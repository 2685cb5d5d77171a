#!/usr/bin/env python3
"""Training throughput, side by side: cifar:train against the notebook's loop in PyTorch.

The seed network, batch 128, Adam lr 0.001, 45,000/5,000 split of the real CIFAR-10, 2 epochs,
2 threads for both (PyTorch: torch.set_num_threads(2), OPENBLAS_NUM_THREADS=1). Each side runs
--runs times; figures are medians over runs of the last epoch (the first pays warm-up), and dev
accuracy after the last epoch shows both did the same work. Raw numbers go to
bench/results/train-throughput.json.

Needs: mvn install done; Debian's python3-torch, python3-torchvision, libopenblas0-pthread
(run with any python3; the peer runs under /usr/bin/python3).
Usage: bench/train-throughput.py [--runs 3] [--epochs 2] [--data DIR]
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time
from cifar_images import default_data

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LINE = re.compile(r"epoch (\d+)/(\d+)  train loss [\d.]+ acc [\d.]+ \| dev loss [\d.]+ acc ([\d.]+) \| ([\d,]+) img/s \| ([\d.]+) s")

def run_cifar(data, epochs):
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["mvn", "-B", "-N", "-q", "-Dstyle.color=never", "dev.cifar:cifar-maven-plugin:0.1.0-SNAPSHOT:train",
               "-Dcifar.data=" + data, "-Dcifar.epochs=%d" % epochs, "-Dcifar.force", "-Dcifar.attach=false",
               "-Dcifar.output=" + os.path.join(tmp, "seed.zip"), "-Dcifar.checkpoints=" + os.path.join(tmp, "ckpt"),
               "-Dcifar.report=" + os.path.join(tmp, "report.html")]
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        # -q hides INFO: run again without it only if nothing was printed
        if not LINE.search(out.stdout):
            cmd.remove("-q")
            out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        epochs_seen = []
        for m in LINE.finditer(out.stdout):
            epochs_seen.append({"epoch": int(m.group(1)), "images_per_second": float(m.group(4).replace(",", "")),
                                "epoch_seconds": float(m.group(5)), "dev_accuracy": float(m.group(3))})
        if len(epochs_seen) != epochs:
            sys.exit("cifar:train failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
        return epochs_seen

def run_peer(data, epochs, pipeline):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "peer", "train_notebook.py"), "--data", data,
                          "--pipeline", pipeline, "--epochs", str(epochs), "--threads", "2"],
                         capture_output=True, text=True, env=env)
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    if len(rows) != epochs:
        sys.exit("peer failed:\n" + out.stderr[-3000:])
    return rows

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--data", default=default_data(HERE))
    a = ap.parse_args()
    data = os.path.abspath(a.data)
    results = {"cifar": [], "pytorch-tensors": [], "pytorch-notebook": []}
    for r in range(a.runs):
        for name, fn in (("cifar", lambda: run_cifar(data, a.epochs)),
                         ("pytorch-tensors", lambda: run_peer(data, a.epochs, "tensors")),
                         ("pytorch-notebook", lambda: run_peer(data, a.epochs, "notebook"))):
            rows = fn()
            results[name].append(rows)
            last = rows[-1]
            print("run %d %-17s %8.0f img/s %6.1f s/epoch dev %.3f" % (r + 1, name, last["images_per_second"],
                  last["epoch_seconds"], last["dev_accuracy"]), flush=True)
    med = {k: {m: statistics.median(run[-1][m] for run in v) for m in ("images_per_second", "epoch_seconds", "dev_accuracy")}
           for k, v in results.items()}
    c, t, n = med["cifar"], med["pytorch-tensors"], med["pytorch-notebook"]
    print()
    print("Training throughput, seed network, batch 128, 2 threads, median of %d runs, epoch %d of %d"
          % (a.runs, a.epochs, a.epochs))
    print("| figure | cifar (DJL) | PyTorch tensors | ratio | PyTorch notebook | ratio |")
    print("|---|---|---|---|---|---|")
    print("| train images/s | %.0f | %.0f | %.2fx | %.0f | %.2fx |" % (c["images_per_second"], t["images_per_second"],
          c["images_per_second"] / t["images_per_second"], n["images_per_second"], c["images_per_second"] / n["images_per_second"]))
    print("| s per epoch (train + dev) | %.1f | %.1f | %.2fx | %.1f | %.2fx |" % (c["epoch_seconds"], t["epoch_seconds"],
          t["epoch_seconds"] / c["epoch_seconds"], n["epoch_seconds"], n["epoch_seconds"] / c["epoch_seconds"]))
    print("| dev accuracy after %d epochs | %.3f | %.3f | | %.3f | |" % (a.epochs, c["dev_accuracy"], t["dev_accuracy"], n["dev_accuracy"]))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "train-throughput.json"), "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M"), "runs": a.runs, "epochs": a.epochs, "raw": results,
                   "median_last_epoch": med}, f, indent=1)

if __name__ == "__main__":
    main()
