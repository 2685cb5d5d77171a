"""Writes the small TorchScript network the fine-tuning tests start from.

Run with Debian's python3 and its python3-torch (1.13):
    /usr/bin/python3 training-core/src/test/python/make_torchscript.py \
        training-core/src/test/resources/torchscript/tiny48.pt

The module takes 48x48 images (and refuses any other size, so a test proves that batches are
resized to the declared input size) and returns 16 features per image.
"""
import sys

import torch
import torch.nn as nn


class Tiny48(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.norm = nn.BatchNorm2d(8)
        self.pool = nn.AdaptiveAvgPool2d(4)
        self.fc = nn.Linear(8 * 4 * 4, 16)

    def forward(self, x):
        if x.shape[2] != 48 or x.shape[3] != 48:
            raise ValueError("Tiny48 takes 48x48 images")
        x = self.pool(torch.relu(self.norm(self.conv(x))))
        return self.fc(torch.flatten(x, 1))


def main(path):
    torch.manual_seed(0)
    module = torch.jit.script(Tiny48().eval())
    module.save(path)
    print("wrote", path)


if __name__ == "__main__":
    main(sys.argv[1])
