"""Writes the TorchScript module behind the optimizers' updates (Adam and Nesterov SGD).

Run with torch 2.13 from pip (Debian's torch 1.13 lacks the fused SGD); libtorch 2.7 under DJL
loads the file:
    /opt/torch213/bin/python training-core/src/main/python/make_fused_optimizers.py \
        training-core/src/main/resources/dev/cifar/training/fused-optimizers.pt

Each method updates a group of parameters (same learning rate, weight decay and step) in one
call, with libtorch's fused kernels: one pass over each parameter instead of the ten element-wise
operations and their temporaries that a per-parameter update costs (PyTorch's own
`Adam(fused=True)` and `SGD(fused=True)`). The formulas are PyTorch's. The gradients are read from
each weight and zeroed afterwards, as the next backward pass accumulates into them. The weights,
optimizer state and gradients stay where they are (CPU or GPU).
"""
import sys
from typing import List

import torch


class FusedOptimizers(torch.nn.Module):
    @torch.jit.export
    def adam(self, weights: List[torch.Tensor], exp_avgs: List[torch.Tensor],
             exp_avg_sqs: List[torch.Tensor], step: float, lr: float, beta1: float, beta2: float,
             eps: float, weight_decay: float) -> None:
        """Adam with L2 weight decay (PyTorch's Adam): `step` counts from 1, this step included."""
        with torch.no_grad():
            grads = self.gradients(weights)
            count = torch.full([], step, dtype=torch.float32, device=weights[0].device)
            steps = [count for _ in weights]
            torch._fused_adam_(weights, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr,
                               beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps,
                               amsgrad=False, maximize=False)
            torch._foreach_zero_(grads)

    @torch.jit.export
    def nesterov_sgd(self, weights: List[torch.Tensor], momentum_buffers: List[torch.Tensor],
                     lr: float, momentum: float, weight_decay: float) -> None:
        """SGD(nesterov=True) without dampening; buffers start at zero, so the first step sets
        each to its gradient, as PyTorch's does. Without momentum, plain SGD (the kernel then
        takes no buffers)."""
        with torch.no_grad():
            grads = self.gradients(weights)
            buffers = momentum_buffers if momentum != 0.0 else []
            torch._fused_sgd_(weights, grads, buffers, weight_decay=weight_decay,
                              momentum=momentum, lr=lr, dampening=0.0, nesterov=True,
                              maximize=False, is_first_step=False)
            torch._foreach_zero_(grads)

    def gradients(self, weights: List[torch.Tensor]) -> List[torch.Tensor]:
        grads: List[torch.Tensor] = []
        for w in weights:
            g = w.grad
            if g is None:
                raise RuntimeError("a weight to update has no gradient")
            grads.append(g)
        return grads

    def forward(self) -> None:
        pass


if __name__ == "__main__":
    torch.jit.save(torch.jit.script(FusedOptimizers()), sys.argv[1])
