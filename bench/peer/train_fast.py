"""The `fast` recipe in PyTorch, the peer of `cifar:train -Dcifar.network=fast` in bench/accuracy.py.

The same network (fixed 2x2 whitening from the training patches, three conv groups 64/256/256
with Dirac-initialised convolutions, shift-only batch norm, GELU, x1/9 output) and the same
recipe (Nesterov SGD, lr 1.5 on the mean loss, momentum 0.85, weight decay 0.00133, batch-norm
shifts at 64x the rate, label smoothing 0.2, batch 1024, alternating flip + 2-pixel reflected
translation, a rate from 0.2 up to 1 over 23% of the steps then down to 0.07, lookahead
averaging every 5 steps, the whitening bias learning in the first 3 epochs only; epochs
measured with flip test-time augmentation, the end with flip and translate), channels-last, on
the real CIFAR-10, 45,000/5,000 split. Prints one JSON line per epoch: train images/s, elapsed
seconds, dev accuracy, and a last line with the final dev accuracy. Run with Debian's python3 (python3-torch 1.13, libopenblas0-pthread), for example
    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 OPENBLAS_NUM_THREADS=1 \
        /usr/bin/python3 bench/peer/train_fast.py --data ../shared/cifar10 --epochs 10
"""
import argparse, json, time
import torch, torch.nn as nn, torch.nn.functional as F
from cifar_binary import load, load_test, start

MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
STD = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)
BATCH = 1024

def conv(cin, cout):
    c = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
    torch.nn.init.dirac_(c.weight.data[:min(cin, cout)])
    return c

def norm(c):
    n = nn.BatchNorm2d(c, eps=1e-12, momentum=0.4)
    n.weight.requires_grad = False
    return n

def group(cin, cout):
    return nn.Sequential(conv(cin, cout), nn.MaxPool2d(2), norm(cout), nn.GELU(), conv(cout, cout), norm(cout), nn.GELU())

class Scale(nn.Module):
    def forward(self, x):
        return x / 9

def make_net(classes=10):
    return nn.Sequential(nn.Conv2d(3, 24, 2), nn.GELU(), group(24, 64), group(64, 256), group(256, 256),
                         nn.MaxPool2d(3), nn.Flatten(), nn.Linear(256, classes, bias=False), Scale())

def whiten(layer, x, eps=5e-4):
    patches = x.unfold(2, 2, 1).unfold(3, 2, 1).transpose(1, 3).reshape(-1, 3, 2, 2).float()
    flat = patches.view(len(patches), -1)
    values, vectors = torch.linalg.eigh(flat.T @ flat / len(flat), UPLO="U")
    values, vectors = values.flip(0).view(-1, 1, 1, 1), vectors.T.reshape(12, 3, 2, 2).flip(0)
    scaled = vectors / torch.sqrt(values + eps)
    layer.weight.data[:] = torch.cat((scaled, -scaled))
    layer.weight.requires_grad = False

def normalise(x):
    return ((x.float() / 255) - MEAN) / STD

def augment(x, first_flip, epoch):
    """Alternating flip (a seeded half of the images in odd epochs, the other half in even
    ones), then a random translation by up to 2 pixels with reflected edges."""
    flip = first_flip ^ (epoch % 2 == 0)
    x = torch.where(flip.view(-1, 1, 1, 1), x.flip(3), x)
    padded = F.pad(x.float(), (2, 2, 2, 2), mode="reflect")
    out = torch.empty(x.shape)
    dy, dx = torch.randint(0, 5, (len(x),)), torch.randint(0, 5, (len(x),))
    for i in range(len(x)):
        out[i] = padded[i, :, dy[i]:dy[i] + 32, dx[i]:dx[i] + 32]
    return out

def mirror_mean(model, b):
    return 0.5 * model(b) + 0.5 * model(b.flip(3))

def evaluate(model, x, y, translate=False):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            b = normalise(x[i:i + 1000])
            logits = mirror_mean(model, b.contiguous(memory_format=torch.channels_last))
            if translate:
                p = F.pad(b, (1, 1, 1, 1), mode="reflect")
                moved = [p[:, :, 0:32, 0:32], p[:, :, 2:34, 2:34]]
                logits = 0.5 * logits + 0.25 * sum(
                    mirror_mean(model, m.contiguous(memory_format=torch.channels_last)) for m in moved)
            correct += (logits.argmax(1) == y[i:i + 1000]).sum().item()
    model.train()
    return correct / len(x)

def make_optimizer(model):
    """Nesterov SGD, lr 1.5 and weight decay 0.00133; batch-norm shifts at 64x the rate and 1/64 the decay."""
    shifts = [m.bias for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    others = [q for q in model.parameters() if q.requires_grad and all(q is not s for s in shifts)]
    lr, wd, scale = 1.5, 0.00133, 64.0
    return torch.optim.SGD([dict(params=shifts, lr=lr * scale, weight_decay=wd / scale),
                            dict(params=others, lr=lr, weight_decay=wd)], momentum=0.85, nesterov=True)

def set_rate(optimizer, base, step, warmup, total):
    """From 0.2 of the base rates up to 1 over the warm-up steps, then linearly down to 0.07 at the last step."""
    factor = (0.2 + 0.8 * step / warmup if step <= warmup
              else 0.07 + 0.93 * max(0.0, 1 - (step - warmup) / (total - warmup)))
    for g, b in zip(optimizer.param_groups, base):
        g["lr"] = b * factor

class Lookahead:
    """airbench's lookahead: every 5 steps the average takes in the weights with the decay
    0.95^5 (step/steps)^3, and the weights are set to the average."""
    def __init__(self, model):
        self.average = {k: v.clone() for k, v in model.state_dict().items() if v.is_floating_point()}

    def update(self, model, decay):
        state = model.state_dict()
        for k, a in self.average.items():
            a.lerp_(state[k], 1 - decay)
            state[k].copy_(a)

def train_step(model, optimizer, criterion, lookahead, x, y, step, total):
    """One optimizer step on a batch, then the lookahead every 5 steps; returns the loss."""
    loss = criterion(model(x), y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if step % 5 == 0:
        lookahead.update(model, 0.95 ** 5 * (step / total) ** 3)
    return loss.item()

def tensors(data):
    images, labels = load(data)
    return torch.from_numpy(images), torch.from_numpy(labels)

class Run:
    """The recipe's state for a run on a split: the whitened channels-last network, its optimizer,
    the schedule and the lookahead; epoch() trains one epoch, a step at a time."""
    def __init__(self, images, labels, train_idx, epochs, seed):
        self.images, self.labels, self.train_idx = images, labels, train_idx
        self.first_flip = torch.rand(50000, generator=torch.Generator().manual_seed(seed + 1)) < 0.5
        model = make_net()
        whiten(model[0], normalise(images[train_idx[:5000]]))
        self.model = model.to(memory_format=torch.channels_last)
        self.optimizer = make_optimizer(self.model)
        steps_per_epoch = (len(train_idx) + BATCH - 1) // BATCH
        self.total, self.warmup = steps_per_epoch * epochs, round(0.23 * epochs * steps_per_epoch)
        self.lookahead = Lookahead(self.model)
        self.base = [g["lr"] for g in self.optimizer.param_groups]
        self.criterion = nn.CrossEntropyLoss(label_smoothing=0.2)
        self.step = 0

    def epoch(self, epoch):
        """Yields after each step of the epoch: its batch, augmented and normalised, and one optimizer step."""
        self.model[0].bias.requires_grad = epoch <= 3
        order = self.train_idx[torch.randperm(len(self.train_idx))]
        for i in range(0, len(order), BATCH):
            self.step += 1
            set_rate(self.optimizer, self.base, self.step, self.warmup, self.total)
            idx = order[i:i + BATCH]
            x = normalise(augment(self.images[idx], self.first_flip[idx], epoch)).contiguous(
                memory_format=torch.channels_last)
            train_step(self.model, self.optimizer, self.criterion, self.lookahead, x, self.labels[idx], self.step,
                       self.total)
            yield len(idx)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--train-size", type=int, default=45000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--split", help="JSON file with the train and dev indices to use (bench/peer/SplitIndices.java"
                   " writes cifar:train's); default: a seeded permutation of its own")
    a = p.parse_args()
    perm = start(a.threads, a.seed)
    images, labels = tensors(a.data)
    if a.split:
        with open(a.split) as f:
            split = json.load(f)
        train_idx, dev_idx = torch.tensor(split["train"][:a.train_size]), torch.tensor(split["dev"])
    else:
        train_idx, dev_idx = perm[:a.train_size], perm[45000:]
    run = Run(images, labels, train_idx, a.epochs, a.seed)
    model, began = run.model, time.time()
    for epoch in range(1, a.epochs + 1):
        train_time, t0 = 0.0, time.time()
        epoch_began = t0
        for _ in run.epoch(epoch):
            train_time += time.time() - t0
            t0 = time.time()
        acc = evaluate(model, images[dev_idx], labels[dev_idx])
        print(json.dumps({"epoch": epoch, "images_per_second": len(train_idx) / train_time,
                          "epoch_seconds": time.time() - epoch_began, "elapsed_seconds": time.time() - began,
                          "dev_accuracy": acc}), flush=True)
    run.lookahead.update(model, 1.0)
    final = evaluate(model, images[dev_idx], labels[dev_idx], translate=True)
    elapsed = time.time() - began
    test = load_test(a.data)
    test_accuracy = None if test is None else evaluate(model, torch.from_numpy(test[0]), torch.from_numpy(test[1]),
                                                       translate=True)
    print(json.dumps({"final": True, "elapsed_seconds": elapsed, "dev_accuracy": final,
                      "test_accuracy": test_accuracy, "test_images": None if test is None else len(test[1])}), flush=True)

if __name__ == "__main__":
    main()
