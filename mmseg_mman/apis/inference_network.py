"""The test-time network of a segmentor as one tensor-to-tensor module (for ONNX export and FLOPs)."""
import torch.nn as nn
from torch import Tensor


class InferenceNetwork(nn.Module):
    """What a segmentor computes to predict, as one module: its ``encode_decode`` on an
    un-padded batch.

    The segmentor decides what runs: for :class:`MMANHead` only the full-resolution decoder path
    (the low-resolution branch and every discriminator are left out), for a single-output mmseg
    head the whole head. The logits are resized to the input like ``decode_head.predict_by_feat``.

    Args:
        segmentor (nn.Module): An ``EncoderDecoder`` (e.g. ``AdversarialEncoderDecoder``).

    Shapes:
        in: (N, 3, H, W) images after the data preprocessor (normalised, RGB if it converts).
        out: (N, num_classes, H, W) logits (before softmax).
    """

    def __init__(self, segmentor: nn.Module) -> None:
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs: Tensor) -> Tensor:
        size = inputs.shape[2:]
        metas = [dict(img_shape=size, pad_shape=size, ori_shape=size)] * inputs.shape[0]
        return self.segmentor.encode_decode(inputs, metas)
