"""The notebook's training loop in PyTorch, the peer of cifar:train in bench/train-throughput.

Trains the notebook's Net (seed) with Adam lr 0.001, batch 128, on the real CIFAR-10 binary
files, 45,000/5,000 split, for N epochs, in one of two input pipelines:
  notebook   - the notebook's per-sample pipeline: torchvision ToTensor + Normalize on each PIL
               image, a DataLoader with shuffle (what the notebook does);
  tensors    - what a careful PyTorch user writes: the data pre-normalised once into one
               tensor, a shuffled index per epoch, one slice per batch.
Prints one JSON line per epoch: train images/s (training step only), epoch seconds, dev accuracy.
Run with Debian's python3 (python3-torch 1.13, libopenblas0-pthread).
"""
import argparse, json, time
import torch, torch.nn as nn
from cifar_binary import load, start

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(1600, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
        self.g = nn.ReLU()
    def forward(self, x):
        x = self.pool(self.g(self.conv1(x)))
        x = self.g(self.conv2(x))
        x = self.flatten(x)
        return self.fc3(self.g(self.fc2(self.g(self.fc1(x)))))

def setup(data, threads, seed):
    """The seeded start: images, labels, train and dev indices, the model, its loss and optimizer."""
    perm = start(threads, seed).numpy()
    images, labels = load(data)
    model = Net()
    return images, labels, perm[:45000], perm[45000:], model, nn.CrossEntropyLoss(), \
        torch.optim.Adam(model.parameters(), lr=0.001)

def tensors(images, labels, idx):
    """The tensor pipeline's data: the images of idx normalised once to [-1, 1], their labels."""
    return (torch.from_numpy(images[idx]).float() / 255 - 0.5) / 0.5, torch.from_numpy(labels[idx])

def shuffled(x, y, whole=False):
    """One epoch of batches of 128 in a fresh random order; whole: only full batches."""
    order = torch.randperm(len(y))
    for s in range(0, len(y) - (127 if whole else 0), 128):
        i = order[s:s + 128]
        yield x[i], y[i]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--pipeline", choices=["notebook", "tensors"], required=True)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    images, labels, train_idx, dev_idx, model, criterion, optimizer = setup(a.data, a.threads, a.seed)

    if a.pipeline == "notebook":
        import torchvision.transforms as T
        from PIL import Image
        from torch.utils.data import DataLoader, Dataset
        transform = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
        class Cifar(Dataset):
            def __init__(self, idx): self.idx = idx
            def __len__(self): return len(self.idx)
            def __getitem__(self, i):
                j = self.idx[i]
                return transform(Image.fromarray(images[j].transpose(1, 2, 0))), int(labels[j])
        train = DataLoader(Cifar(train_idx), batch_size=128, shuffle=True)
        dev = DataLoader(Cifar(dev_idx), batch_size=128)
        batches = lambda loader: iter(loader)
    else:
        xt, yt = tensors(images, labels, train_idx)
        xd, yd = tensors(images, labels, dev_idx)
        train = None
        dev = [(xd[s:s + 128], yd[s:s + 128]) for s in range(0, len(yd), 128)]
        batches = lambda loader: shuffled(xt, yt) if loader is None else iter(loader)

    for epoch in range(1, a.epochs + 1):
        t0 = time.time()
        model.train()
        n = 0
        for inputs, targets in batches(train):
            optimizer.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            optimizer.step()
            n += len(targets)
        train_s = time.time() - t0
        model.eval()
        correct = 0
        with torch.no_grad():
            for inputs, targets in batches(dev):
                correct += (model(inputs).argmax(1) == targets).sum().item()
        print(json.dumps({"epoch": epoch, "images_per_second": n / train_s, "epoch_seconds": time.time() - t0,
                          "dev_accuracy": correct / len(dev_idx)}), flush=True)

if __name__ == "__main__":
    main()
