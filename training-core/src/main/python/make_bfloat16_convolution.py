"""Writes the TorchScript function behind bfloat16 convolutions (cifar.precision=bfloat16).

Run with Debian's python3 and its python3-torch (1.13); libtorch 2.7 under DJL loads the file:
    /usr/bin/python3 training-core/src/main/python/make_bfloat16_convolution.py \
        training-core/src/main/resources/dev/cifar/engine/bfloat16-convolution.pt

DJL 0.36 cannot cast a tensor to bfloat16 itself (its PyTorch JNI aborts the process), but it
runs TorchScript modules and differentiates through them. This module takes float32 input and
weight, rounds both to bfloat16, convolves with stride 1 and "same" padding (odd kernels), and
returns float32. Autograd then runs the input- and weight-gradient convolutions in bfloat16
too, and hands float32 gradients back: the weights and the optimizer stay float32.
"""
import sys

import torch
import torch.nn.functional as F


class Bfloat16Convolution(torch.nn.Module):
    def forward(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        padding = [weight.size(2) // 2, weight.size(3) // 2]
        y = F.conv2d(x.to(torch.bfloat16), weight.to(torch.bfloat16), None, [1, 1], padding)
        return y.to(torch.float32)


if __name__ == "__main__":
    torch.jit.save(torch.jit.script(Bfloat16Convolution()), sys.argv[1])
