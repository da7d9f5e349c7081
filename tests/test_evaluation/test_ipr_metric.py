import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmseg_mman.evaluation.metrics import IPRMetric, count_isolated_pixels, count_pixels_in_small_components


def _sample(pred) -> dict:
    sample = SegDataSample()
    sample.pred_sem_seg = PixelData(data=torch.tensor(pred)[None])
    return sample.to_dict()


def _isolated_reference(label_map: np.ndarray) -> int:
    """Loop reference: pixels with no equal label among in-image 8-nbrs."""
    height, width = label_map.shape
    isolated = 0
    for y in range(height):
        for x in range(width):
            neighbours = [
                label_map[y + dy, x + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                if (dy, dx) != (0, 0) and 0 <= y + dy < height and 0 <= x + dx < width
            ]
            isolated += label_map[y, x] not in neighbours
    return isolated


@pytest.mark.parametrize(
    'label_map, isolated',
    [
        ([[0, 0, 1], [0, 2, 1], [3, 3, 1]], 1),  # only the central 2
        ([[5, 0], [0, 5]], 0),  # diagonal neighbours count
        ([[1, 2, 1]], 3),  # no wrap-around at the borders
        ([[7]], 1),  # a lone pixel has no neighbour
    ])
def test_count_isolated_pixels_hand_computed(label_map, isolated):
    counted, total = count_isolated_pixels(torch.tensor(label_map))
    assert (counted, total) == (isolated, np.size(label_map))


def test_count_isolated_pixels_matches_loop_reference():
    rng = np.random.default_rng(0)
    for shape in [(9, 13), (1, 7), (16, 5)]:
        label_map = rng.integers(0, 3, size=shape)
        counted, _ = count_isolated_pixels(torch.from_numpy(label_map))
        assert counted == _isolated_reference(label_map)


def test_count_isolated_pixels_rejects_non_2d():
    with pytest.raises(ValueError, match='expected an \\(H, W\\) label map'):
        count_isolated_pixels(torch.zeros(2, 3, 3))


def test_ipr_metric_over_whole_set():
    metric = IPRMetric()
    metric.process({}, [_sample([[0, 0, 1], [0, 2, 1], [3, 3, 1]]), _sample([[5, 0], [0, 5]])])
    metric.process({}, [_sample([[1, 2, 1]])])
    # (1 + 0 + 3) isolated of (9 + 4 + 3) pixels
    assert metric.evaluate(3) == {'IPR': 25.0}


def test_small_component_rate_counts_pixels_of_components_below_the_size():
    pred = np.zeros((6, 6), dtype=np.int64)
    pred[0, 0] = 1  # a 1-pixel speck
    pred[2:4, 2:4] = 2  # a 4-pixel blob
    pred[5, 3:6] = 3  # a 3-pixel line, 8-connected
    pred[4, 0] = 3  # another 1-pixel component of label 3 (not 8-connected to the line)
    label_map = torch.tensor(pred)
    assert count_pixels_in_small_components(label_map, 2) == 2  # the two single pixels
    assert count_pixels_in_small_components(label_map, 4) == 2 + 3  # ... and the line
    assert count_pixels_in_small_components(label_map, 5) == 2 + 3 + 4  # ... and the blob
    metric = IPRMetric(small_component_sizes=[4, 5])
    metric.process({}, [_sample(pred)])
    results = metric.compute_metrics(metric.results)
    assert results == dict(
        IPR=round(100 * count_isolated_pixels(label_map)[0] / 36, 2),
        IPR_lt4=round(100 * 5 / 36, 2),
        IPR_lt5=round(100 * 9 / 36, 2))


def test_a_component_size_below_two_is_rejected():
    with pytest.raises(ValueError, match=r'small_component_sizes=\[1\]'):
        IPRMetric(small_component_sizes=[1])
