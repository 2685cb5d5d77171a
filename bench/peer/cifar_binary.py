"""The peers' common start: the real CIFAR-10 training batches as arrays, and the seeded split."""
import os
import numpy as np
import torch

def batches_dir(data):
    return data if os.path.isfile(os.path.join(data, "data_batch_1.bin")) else os.path.join(data, "cifar-10-batches-bin")

def records(raw):
    a = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3073)
    return a[:, 1:].reshape(-1, 3, 32, 32).copy(), a[:, 0].astype(np.int64)

def load(data):
    """Returns (images uint8 (50000, 3, 32, 32), labels int64) from DATA or its cifar-10-batches-bin/."""
    d = batches_dir(data)
    return records(b"".join(open(os.path.join(d, "data_batch_%d.bin" % i), "rb").read() for i in range(1, 6)))

def load_test(data):
    """Returns (images, labels) of test_batch.bin, or None without one."""
    path = os.path.join(batches_dir(data), "test_batch.bin")
    return records(open(path, "rb").read()) if os.path.isfile(path) else None

def start(threads, seed):
    """Sets the thread count and the seed; returns the seeded permutation of the 50,000 images."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    return torch.randperm(50000, generator=torch.Generator().manual_seed(seed))
