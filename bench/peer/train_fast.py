"""The `fast` recipe in PyTorch, the peer of `cifar:train -Dcifar.network=fast` in bench/accuracy.py.

The same network (fixed 2x2 whitening from the training patches, three conv groups 64/256/256
with Dirac-initialised convolutions, shift-only batch norm, GELU, x1/9 output) and the same
recipe (Nesterov SGD, lr 1.5 on the mean loss, momentum 0.85, weight decay 0.00133, batch-norm
shifts at 64x the rate, label smoothing 0.2, batch 1024, flip + pad-4 crop, warm-up over 23% of
the steps then linear decay, flip test-time augmentation), channels-last, on the real CIFAR-10,
45,000/5,000 split. Prints one JSON line per epoch: train images/s, elapsed seconds, dev
accuracy. Run with Debian's python3 (python3-torch 1.13, libopenblas0-pthread), for example
    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 OPENBLAS_NUM_THREADS=1 \
        /usr/bin/python3 bench/peer/train_fast.py --data ../shared/cifar10 --epochs 10
"""
import argparse, json, time
import torch, torch.nn as nn, torch.nn.functional as F
from cifar_binary import load, start

MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
STD = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)

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

def augment(x):
    flip = torch.rand(len(x)) < 0.5
    x = torch.where(flip.view(-1, 1, 1, 1), x.flip(3), x)
    padded = F.pad(x, (4, 4, 4, 4))
    out = torch.empty_like(x)
    dy, dx = torch.randint(0, 9, (len(x),)), torch.randint(0, 9, (len(x),))
    for i in range(len(x)):
        out[i] = padded[i, :, dy[i]:dy[i] + 32, dx[i]:dx[i] + 32]
    return out

def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            b = normalise(x[i:i + 1000]).contiguous(memory_format=torch.channels_last)
            logits = model(b) + model(b.flip(3))
            correct += (logits.argmax(1) == y[i:i + 1000]).sum().item()
    model.train()
    return correct / len(x)

def tensors(data):
    images, labels = load(data)
    return torch.from_numpy(images), torch.from_numpy(labels)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--train-size", type=int, default=45000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    perm = start(a.threads, a.seed)
    images, labels = tensors(a.data)
    train_idx, dev_idx = perm[:a.train_size], perm[45000:]
    model = make_net()
    whiten(model[0], normalise(images[train_idx[:5000]]))
    model = model.to(memory_format=torch.channels_last)
    shifts = [m.bias for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    others = [q for q in model.parameters() if q.requires_grad and all(q is not s for s in shifts)]
    lr, wd, scale = 1.5, 0.00133, 64.0
    optimizer = torch.optim.SGD([dict(params=shifts, lr=lr * scale, weight_decay=wd / scale),
                                 dict(params=others, lr=lr, weight_decay=wd)], momentum=0.85, nesterov=True)
    batch = 1024
    steps_per_epoch = (len(train_idx) + batch - 1) // batch
    total, warmup = steps_per_epoch * a.epochs, round(0.23 * a.epochs * steps_per_epoch)
    base = [g["lr"] for g in optimizer.param_groups]
    criterion = nn.CrossEntropyLoss(label_smoothing=0.2)
    step, start = 0, time.time()
    for epoch in range(1, a.epochs + 1):
        order = train_idx[torch.randperm(len(train_idx))]
        train_time = 0.0
        for i in range(0, len(order), batch):
            t0 = time.time()
            step += 1
            factor = step / warmup if step <= warmup else max(0.0, 1 - (step - warmup) / (total - warmup))
            for g, b in zip(optimizer.param_groups, base):
                g["lr"] = b * factor
            idx = order[i:i + batch]
            x = normalise(augment(images[idx])).contiguous(memory_format=torch.channels_last)
            loss = criterion(model(x), labels[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            train_time += time.time() - t0
        acc = evaluate(model, images[dev_idx], labels[dev_idx])
        print(json.dumps({"epoch": epoch, "images_per_second": len(order) / train_time,
                          "elapsed_seconds": time.time() - start, "dev_accuracy": acc}), flush=True)

if __name__ == "__main__":
    main()
