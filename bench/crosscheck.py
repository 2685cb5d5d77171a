"""Replays the first training steps of `fast` in PyTorch and compares them with ours, step by step.

Runs the Java trace (training-core's StepTrace: our network, optimizer, loss, rate scales,
schedule and lookahead on fixed, unaugmented batches), loads its initial weights into the
peer's network (bench/peer/train_fast.py), takes the same steps with the peer's optimizer,
schedule and lookahead, and prints side by side: the loss of every step, the largest weight
difference after chosen steps, the whitening filters each side computes from the same images,
and what our augmentation did to one batch (flips alternating between epochs, translations
spread evenly over -2..2). Run from the repository root with Debian's python3:
    /usr/bin/python3 bench/crosscheck.py --data ../shared/cifar10
The peer runs twice, the second time from weights perturbed by one part in a million: how far
those two drift apart is the noise floor that float rounding alone produces. Ours within that
floor means the same recipe; a difference of recipe shows from the step it enters. With
--precision bfloat16 our convolutions and their gradients compute in bfloat16 where the CPU has
AMX, as `fast` trains by default (the peer stays float32).
"""
import argparse, json, os, subprocess, sys, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer"))
from cifar_binary import load
from train_fast import make_net, whiten, normalise, make_optimizer, set_rate, train_step, Lookahead

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def java_trace(data, out, steps, batch, dumps, precision):
    subprocess.run(["mvn", "-q", "-o", "-pl", "training-core", "test-compile", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + os.path.join(out, "cp.txt"), "-Dmdep.includeScope=test"],
                   cwd=ROOT, check=True)
    cp = ":".join(["training-core/target/test-classes", "training-core/target/classes",
                   open(os.path.join(out, "cp.txt")).read().strip()])
    subprocess.run(["java", "-cp", cp, "-Dcifar.precision=" + precision, "dev.cifar.training.StepTrace", data, out,
                    "fast", str(steps), str(batch)] + [str(d) for d in dumps], cwd=ROOT, check=True,
                   stderr=subprocess.DEVNULL)
    return json.load(open(os.path.join(out, "trace.json")))


def read_weights(path, shapes):
    flat = np.fromfile(path, dtype="<f4")
    arrays, at = [], 0
    for s in shapes:
        n = int(np.prod(s))
        arrays.append(torch.from_numpy(flat[at:at + n].reshape(s).copy()))
        at += n
    return arrays


def tensors_of(model):
    return [v for k, v in model.state_dict().items() if v.is_floating_point()]


def largest(ours, theirs, names):
    """The largest difference of two weight lists relative to the largest weight, and where."""
    worst = (0.0, "")
    for name, a, b in zip(names, ours, theirs):
        diff = (a - b).abs().max().item() / (b.abs().max().item() or 1.0)
        if diff > worst[0]:
            worst = (diff, name)
    return worst


def replay(start, images, labels, steps, batch, dumps, noise):
    """The peer's steps from our initial weights (each scaled by 1 + noise * N(0, 1) when noise is
    set, to show how fast rounding differences grow); returns the losses and the weights at dumps."""
    torch.manual_seed(0)
    model = make_net()
    state = model.state_dict()
    floating = [k for k, v in state.items() if v.is_floating_point()]
    for k, w in zip(floating, start):
        if tuple(state[k].shape) != tuple(w.shape):
            raise SystemExit("parameter %s: ours %s, peer %s" % (k, tuple(w.shape), tuple(state[k].shape)))
        state[k].copy_(w * (1 + noise * torch.randn_like(w)))
    model[0].weight.requires_grad = False
    model = model.to(memory_format=torch.channels_last)
    model.train()
    optimizer = make_optimizer(model)
    base = [g["lr"] for g in optimizer.param_groups]
    total, warmup = steps, round(0.23 * steps)
    lookahead = Lookahead(model)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.2)
    x_all, y_all = torch.from_numpy(images), torch.from_numpy(labels)
    losses, weights = [], {}
    for s in range(1, steps + 1):
        set_rate(optimizer, base, s, warmup, total)
        idx = torch.arange((s - 1) * batch, s * batch) % len(x_all)
        x = normalise(x_all[idx]).contiguous(memory_format=torch.channels_last)
        losses.append(train_step(model, optimizer, criterion, lookahead, x, y_all[idx], s, total))
        if s in dumps:
            weights[s] = [t.clone() for t in tensors_of(model)]
    return losses, weights


def augmentation_report(out, images, batch):
    """Finds, for each augmented image, the flip and translation that produce it from the original."""
    original = torch.from_numpy(images[:batch]).float()
    padded = F.pad(original, (2, 2, 2, 2), mode="reflect")
    flips, shifts = [], []
    for epoch in (1, 2):
        aug = torch.from_numpy(np.fromfile(os.path.join(out, "augmented-%d.bin" % epoch), dtype=np.uint8)
                               .reshape(batch, 3, 32, 32).copy()).float()
        f, s = [], []
        for i in range(batch):
            found = None
            for flip in (False, True):
                src = padded[i].flip(2) if flip else padded[i]
                for dy in range(5):
                    for dx in range(5):
                        if torch.equal(src[:, dy:dy + 32, dx:dx + 32], aug[i]):
                            found = (flip, dy - 2, dx - 2)
                            break
                    if found:
                        break
                if found:
                    break
            if found is None:
                raise SystemExit("augmented image %d of epoch %d is no flip and translation of its original" % (i, epoch))
            f.append(found[0])
            s.append(found[1:])
        flips.append(np.array(f))
        shifts.append(np.array(s))
    alternating = (flips[0] ^ flips[1]).mean()
    counts = np.bincount(np.concatenate(shifts).ravel() + 2, minlength=5) / (2 * batch * 2)
    print("augmentation: every image is a flip and translation of its original; flipped in epoch 1 %.3f,"
          " flip alternates between epochs for %.3f of the images; shifts -2..2: %s"
          % (flips[0].mean(), alternating, " ".join("%.3f" % c for c in counts)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--precision", choices=["float32", "bfloat16"], default="float32",
                   help="our convolutions' arithmetic (bfloat16: as cifar.precision, on CPUs with AMX)")
    a = p.parse_args()
    dumps = [1, 2, 5, a.steps]
    torch.set_num_threads(2)
    out = tempfile.mkdtemp(prefix="crosscheck-")
    trace = java_trace(os.path.abspath(a.data), out, a.steps, a.batch, dumps, a.precision)
    names = [q["name"] for q in trace["parameters"]]
    shapes = [q["shape"] for q in trace["parameters"]]
    images, labels = load(a.data)
    model = make_net()
    ours = read_weights(os.path.join(out, "weights-0.bin"), shapes)
    whiten(model[0], normalise(torch.from_numpy(images[:5000])))
    theirs = model[0].weight.data.clone()
    # eigenvectors are defined up to sign, and each filter comes with its negative
    match = min((ours[0] - theirs).abs().amax(dim=(1, 2, 3)).max().item(),
                (ours[0] + theirs).abs().amax(dim=(1, 2, 3)).max().item())
    per_filter = torch.minimum((ours[0] - theirs).abs().amax(dim=(1, 2, 3)), (ours[0] + theirs).abs().amax(dim=(1, 2, 3)))
    print("whitening filters: largest difference %.2e (per filter, up to sign: %.2e), largest filter value %.2f"
          % (match, per_filter.max().item(), theirs.abs().max().item()))
    java = {s: read_weights(os.path.join(out, "weights-%d.bin" % s), shapes) for s in dumps}
    peer_losses, peer = replay(ours, images, labels, a.steps, a.batch, dumps, 0.0)
    noisy_losses, noisy = replay(ours, images, labels, a.steps, a.batch, dumps, 1e-6)
    print("%5s %10s %10s %10s %10s %10s   %s" % ("step", "rate ours", "loss ours", "loss peer", "loss peer'",
                                                "ours-peer", "peer-peer' (largest relative weight difference)"))
    for s in range(1, a.steps + 1):
        line = "%5d %10.5f %10.5f %10.5f %10.5f" % (s, trace["rates"][s - 1], trace["losses"][s - 1],
                                                   peer_losses[s - 1], noisy_losses[s - 1])
        if s in dumps:
            d1, w1 = largest(java[s], peer[s], names)
            d2, w2 = largest(noisy[s], peer[s], names)
            line += " %10.2e   %.2e  (%s; %s)" % (d1, d2, w1, w2)
        print(line)
    augmentation_report(out, images, a.batch)


if __name__ == "__main__":
    main()
