"""CheckedLIPDataset (the LIP configs' dataset): the cases of issue 12 stop the build, naming the files."""
import io
import os.path as osp
import re

import cv2
import numpy as np
import pytest
from mmengine import Config
from mmengine.registry import init_default_scope
from mmseg.datasets import LIPDataset
from mmseg.registry import DATASETS
from PIL import Image

from mmseg_mman.datasets import CheckedLIPDataset, DomainAdaptationDataset
from mmseg_mman.datasets.checked_dataset import DatasetFilesError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs/_base_/datasets/lip.py')


def write_pair(root, stem, size=(24, 32), label_size=None, split='train'):
    """A (height, width) = ``size`` JPEG and its label (of ``label_size`` if given)."""
    height, width = size
    for folder in (f'{split}_images', f'{split}_segmentations'):
        (root / folder).mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(root / f'{split}_images' / f'{stem}.jpg'), np.full((height, width, 3), 90, np.uint8))
    label = np.zeros(label_size or size, np.uint8)
    label[2:-2, 2:-2] = 13
    cv2.imwrite(str(root / f'{split}_segmentations' / f'{stem}.png'), label)


@pytest.fixture
def lip_root(tmp_path):
    for index in range(4):
        write_pair(tmp_path, f'im{index}')
    return tmp_path


@pytest.fixture
def build(lip_root):
    init_default_scope('mmseg')
    dataset_cfg = Config.fromfile(CONFIG).train_dataloader.dataset
    dataset_cfg.data_root = str(lip_root)

    def build(**kwargs):
        return DATASETS.build(dict(dataset_cfg, **kwargs))

    return build


def test_config_builds_the_checked_lip_dataset(build):
    dataset = build()
    assert type(dataset) is CheckedLIPDataset
    assert len(dataset) == 4
    assert dataset.metainfo['classes'] == LIPDataset.METAINFO['classes']
    assert [list(c) for c in dataset.metainfo['palette']] == [list(c) for c in LIPDataset.METAINFO['palette']]
    assert tuple(dataset[0]['inputs'].shape) == (3, 256, 256)


def test_rgba_png_among_jpgs_is_named(build, lip_root):
    """mmseg's LIPDataset silently trained on the .jpg images only."""
    cv2.imwrite(str(lip_root / 'train_images' / 'rgba.png'), np.full((24, 32, 4), 200, np.uint8))
    with pytest.raises(ValueError) as error:
        build()
    assert re.search(r"train_images/rgba.png has another extension than img_suffix '.jpg': mmseg would skip",
                     str(error.value))
    # its label is then an orphan, with a hint at the image's real name
    cv2.imwrite(str(lip_root / 'train_segmentations' / 'rgba.png'), np.zeros((24, 32), np.uint8))
    with pytest.raises(FileNotFoundError) as error:
        build()
    message = str(error.value)
    assert '2 problem(s)' in message
    assert re.search(
        r'train_segmentations/rgba.png has no image: \S+train_images/rgba.jpg does not exist '
        r"\(there is \S+train_images/rgba.png, but img_suffix is '.jpg'\)", message)
    assert 'train_images/rgba.png has another extension' in message


def test_upper_case_extension_is_named(build, lip_root):
    (lip_root / 'train_images' / 'im0.jpg').rename(lip_root / 'train_images' / 'im0.JPG')
    with pytest.raises(
            FileNotFoundError,
            match=r'(?s)train_segmentations/im0.png has no image.*'
            r'train_images/im0.JPG has another extension'):
        build()


def test_orphan_label_is_named(build, lip_root):
    (lip_root / 'train_images' / 'im2.jpg').unlink()
    with pytest.raises(
            FileNotFoundError,
            match=r'train_segmentations/im2.png has no image: '
            r'\S+train_images/im2.jpg does not exist'):
        build()


def test_missing_label_is_named_at_build(build, lip_root):
    """mmseg's LIPDataset failed at the iteration reaching it, from an mmengine frame."""
    (lip_root / 'train_segmentations' / 'im3.png').unlink()
    with pytest.raises(
            FileNotFoundError,
            match=r'train_images/im3.jpg has no label: '
            r'\S+train_segmentations/im3.png does not exist'):
        build()


def test_label_of_another_size_is_named_with_its_image_at_build(build, lip_root):
    """It trained 1 px out of register and crashed mmseg's IoUMetric without a file name."""
    write_pair(lip_root, 'im1', size=(24, 32), label_size=(25, 32))
    with pytest.raises(
            ValueError,
            match=r'train_segmentations/im1.png is 32x25 \(width x height\) but '
            r'its image \S+train_images/im1.jpg is 32x24'):
        build()
    # also as the source of a domain-adaptation pair (whose own empty-domain message must not hide it)
    with pytest.raises(DatasetFilesError, match=r'im1.png is 32x25'):
        DomainAdaptationDataset(
            source=dict(
                type='CheckedLIPDataset',
                data_root=str(lip_root),
                data_prefix=dict(img_path='train_images', seg_map_path='train_segmentations')),
            target=dict(
                type='CheckedLIPDataset', data_root=str(lip_root), data_prefix=dict(img_path='train_images')))
    # check_files=False skips the header checks (not the listing)
    assert len(build(check_files=False)) == 4
    (lip_root / 'train_segmentations' / 'im0.png').unlink()
    with pytest.raises(FileNotFoundError, match='im0.jpg has no label'):
        build(check_files=False)


def test_grey_label_saved_as_rgb_is_rejected_naming_it(build, lip_root):
    """It crashed in torch.stack without a file name."""
    grey = cv2.imread(str(lip_root / 'train_segmentations' / 'im2.png'), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(lip_root / 'train_segmentations' / 'im2.png'), np.dstack([grey] * 3))
    with pytest.raises(
            ValueError,
            match=r'train_segmentations/im2.png has 3 channels \(PIL mode RGB\): a label '
            'must be a single-channel map of class ids'):
        build()


def test_palette_label_is_single_channel(build, lip_root):
    label = Image.fromarray(np.full((24, 32), 5, np.uint8), mode='L').convert('P')
    label.putpalette([value for colour in LIPDataset.METAINFO['palette'] for value in colour])
    label.save(lip_root / 'train_segmentations' / 'im0.png')
    assert Image.open(lip_root / 'train_segmentations' / 'im0.png').mode == 'P'
    dataset = build()
    assert dataset[0]['data_samples'].gt_sem_seg.data.unique().tolist() == [5]


def _jpeg_with_orientation(path, height, width, orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), 90, np.uint8)).save(buffer, 'JPEG', exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())


def test_image_size_is_taken_as_decoded_after_exif_rotation(build, lip_root):
    # stored 32 wide x 24 high, EXIF orientation 6: decoded (as training sees it) 24 wide x 32 high
    _jpeg_with_orientation(lip_root / 'train_images' / 'im0.jpg', 24, 32, orientation=6)
    with pytest.raises(
            ValueError, match=r'im0.png is 32x24 \(width x height\) but its image \S+im0.jpg is 24x32'):
        build()
    write_pair(lip_root, 'im0', size=(24, 32), label_size=(32, 24))
    _jpeg_with_orientation(lip_root / 'train_images' / 'im0.jpg', 24, 32, orientation=6)
    dataset = build(pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')])
    sample = dataset[0]
    assert sample['img'].shape[:2] == sample['gt_seg_map'].shape == (32, 24)


def test_every_problem_is_listed_at_once(build, lip_root):
    (lip_root / 'train_segmentations' / 'im0.png').unlink()
    (lip_root / 'train_images' / 'im1.jpg').unlink()
    write_pair(lip_root, 'im2', label_size=(10, 10))
    with pytest.raises(FileNotFoundError) as error:
        build()
    lines = str(error.value).splitlines()
    assert '3 problem(s)' in lines[0]
    # missing files first, then the header problems
    assert [re.sub(r'.*/', '', line.split()[0]) for line in lines[1:4]] == ['im0.jpg', 'im1.png', 'im2.png']
    assert 'tools/misc/check_dataset.py' in lines[-1]


def test_long_lists_are_cut(build, lip_root, monkeypatch):
    monkeypatch.setattr(CheckedLIPDataset, 'MAX_REPORTED_PROBLEMS', 2)
    for index in range(4):
        (lip_root / 'train_segmentations' / f'im{index}.png').unlink()
    with pytest.raises(
            FileNotFoundError, match=r'(?s)4 problem\(s\).*im1.jpg has no label.*\.\.\. and 2 more'):
        build()


def test_ann_file_names_a_listed_image_of_another_extension(build, lip_root):
    cv2.imwrite(str(lip_root / 'train_images' / 'extra.png'), np.zeros((24, 32, 3), np.uint8))
    ann_file = lip_root / 'train_id.txt'
    ann_file.write_text('im0\nim1\n')
    # images not in the split (extra.png) are not the split's business
    assert len(build(ann_file=str(ann_file))) == 2
    ann_file.write_text('im0\nextra\n')
    with pytest.raises(
            FileNotFoundError,
            match=r'train_images/extra.jpg listed in \S+train_id.txt does not exist '
            r"\(there is \S+extra.png, but img_suffix is '.jpg'\)"):
        build(ann_file=str(ann_file))
