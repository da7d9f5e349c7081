"""ContiguousSegLocalVisualizer: mmseg's drawing, also on strided images (mmseg's browse_dataset.py)."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.registry import VISUALIZERS
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

from mmseg_mman.visualization import ContiguousSegLocalVisualizer

CLASSES = ('background', 'head', 'body')
PALETTE = [[0, 0, 0], [255, 0, 0], [0, 0, 255]]


def strided_image_and_sample():
    """An (H, W, 3) view of a (3, H, W) tensor, as browse_dataset.py passes it, and its label map."""
    rng = np.random.default_rng(0)
    chw = torch.from_numpy(rng.integers(0, 256, (3, 40, 48), dtype=np.uint8))
    image = chw.permute(1, 2, 0).numpy()[..., [2, 1, 0]]
    label = np.zeros((1, 40, 48), dtype=np.int64)
    label[0, 5:20, 10:30] = 1
    label[0, 25:38, 4:44] = 2
    sample = SegDataSample(gt_sem_seg=PixelData(data=torch.from_numpy(label)))
    return image, sample


def draw(visualizer, image, sample):
    # as browse_dataset.py does (SegLocalVisualizer(classes=, palette=) swaps the two in mmseg 1.2.2)
    visualizer.dataset_meta = dict(classes=CLASSES, palette=PALETTE)
    visualizer.add_datasample('x', image, sample, draw_gt=True, draw_pred=False, show=False, with_labels=True)
    return visualizer.get_image()


def test_mmseg_visualizer_rejects_the_strided_image():
    image, sample = strided_image_and_sample()
    assert not image.flags['C_CONTIGUOUS']
    visualizer = SegLocalVisualizer(name='mmseg_strided')
    with pytest.raises(cv2.error, match='Layout of the output array'):
        draw(visualizer, image, sample)


def test_draws_the_strided_image_as_mmseg_draws_its_contiguous_copy():
    image, sample = strided_image_and_sample()
    visualizer = VISUALIZERS.build(dict(type='ContiguousSegLocalVisualizer', name='contiguous_strided'))
    assert isinstance(visualizer, ContiguousSegLocalVisualizer)
    drawn = draw(visualizer, image, sample)
    reference = draw(SegLocalVisualizer(name='mmseg_contiguous'), np.ascontiguousarray(image), sample)
    np.testing.assert_array_equal(drawn, reference)
    assert drawn.shape == image.shape
    # The label boxes and the class colours are on the picture, not just the input.
    assert not np.array_equal(drawn, image)
