import torch

from mmseg_mman.models.utils import nearest_resize


def test_nearest_resize_takes_floor_rows_and_cols_and_keeps_the_dtype():
    label = torch.arange(25).reshape(1, 1, 5, 5)
    # rows/cols floor(i * 5 / 2) = 0, 2
    resized = nearest_resize(label, (2, 2))
    assert resized.tolist() == [[[[0, 2], [10, 12]]]] and resized.dtype == torch.long
    assert nearest_resize(label, (5, 5)) is label


def test_images_and_labels_are_sampled_at_the_same_positions():
    columns = torch.arange(64.).expand(1, 1, 64, 64)
    assert torch.equal(nearest_resize(columns, (4, 4)), nearest_resize(columns.long(), (4, 4)).float())
