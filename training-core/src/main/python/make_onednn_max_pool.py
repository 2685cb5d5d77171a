"""Writes the TorchScript function behind max pooling with gradients on the CPU (OneDnnMaxPool).

Run with Debian's python3 and its python3-torch (1.13); libtorch 2.7 under DJL loads the file:
    /usr/bin/python3 training-core/src/main/python/make_onednn_max_pool.py \
        training-core/src/main/resources/dev/cifar/engine/onednn-max-pool.pt

When its input requires a gradient, libtorch's max_pool2d runs ATen's max_pool2d_with_indices,
whose NCHW kernel is slow on the CPU: a batch of 128 through the seed network's 6x28x28 pool
takes 1.0-1.7 ms there, a third of it more than the layer's convolution (measured on a 2-core
AMD EPYC, Zen 5). oneDNN's pooling computes the same maxima and routes each gradient to the
same element (the first maximum of its window), in a fraction of that time. libtorch reaches
it through its mkldnn tensors, which DJL cannot create; this function converts the batch to
one, pools with a square window equal to the stride, no padding, and converts back; autograd
differentiates through all three steps. A batch that is not contiguous NCHW (channels-last)
keeps ATen's pooling, whose channels-last kernel is fast already and keeps the layout.
"""
import sys

import torch
import torch.nn.functional as F


class OneDnnMaxPool(torch.nn.Module):
    def forward(self, x: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
        k = int(kernel.item())
        if x.is_contiguous():
            return torch.mkldnn_max_pool2d(x.to_mkldnn(), [k, k], [k, k]).to_dense()
        return F.max_pool2d(x, [k, k], [k, k])


if __name__ == "__main__":
    torch.jit.save(torch.jit.script(OneDnnMaxPool()), sys.argv[1])
