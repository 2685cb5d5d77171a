"""The peers' common start: the real CIFAR-10 training batches as arrays, and the seeded split."""
import os
import numpy as np
import torch

def load(data):
    """Returns (images uint8 (50000, 3, 32, 32), labels int64) from DATA or its cifar-10-batches-bin/."""
    d = data if os.path.isfile(os.path.join(data, "data_batch_1.bin")) else os.path.join(data, "cifar-10-batches-bin")
    raw = b"".join(open(os.path.join(d, "data_batch_%d.bin" % i), "rb").read() for i in range(1, 6))
    a = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3073)
    return a[:, 1:].reshape(-1, 3, 32, 32).copy(), a[:, 0].astype(np.int64)

def start(threads, seed):
    """Sets the thread count and the seed; returns the seeded permutation of the 50,000 images."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    return torch.randperm(50000, generator=torch.Generator().manual_seed(seed))
