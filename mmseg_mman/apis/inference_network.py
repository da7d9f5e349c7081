"""The test-time network of a segmentor as one tensor-to-tensor module (for ONNX export and FLOPs)."""
import torch.nn as nn
from mmseg.models.utils import resize
from torch import Tensor


class InferenceNetwork(nn.Module):
    """Backbone (+ neck) + decode head of a segmentor, keeping only what prediction uses.

    For a multi-output head (:class:`MMANHead`) only the ``'high'`` output is kept, so tracing it
    (ONNX export, FLOP counting) drops the low-resolution branch; a single-output mmseg head is kept
    whole. The logits are resized to the input like ``decode_head.predict_by_feat``, so the output
    equals ``segmentor.encode_decode`` on an un-padded batch. No discriminator is involved.

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
        head = self.segmentor.decode_head
        outputs = head(self.segmentor.extract_feat(inputs))
        if hasattr(head, 'named_outputs'):
            outputs = head.named_outputs(outputs)['high']
        return resize(outputs, size=inputs.shape[2:], mode='bilinear', align_corners=head.align_corners)
