"""The dataset converters (mmseg_mman.datasets.converters, CLIs in tools/dataset_converters) on tiny
trees in real layouts."""
import io
import os
import os.path as osp
import zipfile

import cv2
import numpy as np
import pytest
import scipy.io
from PIL import Image

from mmseg_mman.datasets.converters import ccp, lip, pascal_person_part
from mmseg_mman.datasets.converters.common import ConversionError, copy_if_changed


def _jpeg_bytes(height=20, width=12, value=100) -> bytes:
    return cv2.imencode('.jpg', np.full((height, width, 3), value, np.uint8))[1].tobytes()


def _png_bytes(label: np.ndarray) -> bytes:
    return cv2.imencode('.png', label)[1].tobytes()


def _files(root) -> dict:
    """relative path -> bytes of every file under root."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                found[osp.relpath(path, root)] = f.read()
    return found


def _mtimes(root) -> dict:
    return {
        osp.join(folder, name): os.stat(osp.join(folder, name)).st_mtime_ns
        for folder, _, names in os.walk(root)
        for name in names
    }


# ----------------------------------------------------------------------- LIP
LIP_LABEL = np.array([[0, 14], [15, 19]], np.uint8)
LIP_FILES = {
    'train_images/1_a.jpg': _jpeg_bytes(value=10),
    'train_images/2_b.jpg': _jpeg_bytes(value=20),
    'val_images/3_c.jpg': _jpeg_bytes(value=30),
    'train_segmentations/1_a.png': _png_bytes(LIP_LABEL),
    'train_segmentations/2_b.png': _png_bytes(LIP_LABEL + 1),
    'val_segmentations/3_c.png': _png_bytes(LIP_LABEL // 2),
}


@pytest.fixture
def lip_zips(tmp_path):
    """The official archives: the annotation zip holds another zip."""
    images_zip = tmp_path / 'TrainVal_images.zip'
    with zipfile.ZipFile(images_zip, 'w') as archive:
        archive.writestr('TrainVal_images/train_id.txt', '1_a\n2_b\n')
        archive.writestr('__MACOSX/TrainVal_images/train_images/._1_a.jpg', b'junk')
        for name, data in LIP_FILES.items():
            if name.endswith('.jpg'):
                archive.writestr(f'TrainVal_images/{name}', data)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, 'w') as archive:
        for name, data in LIP_FILES.items():
            if name.endswith('.png'):
                archive.writestr(name, data)
    labels_zip = tmp_path / 'TrainVal_parsing_annotations.zip'
    with zipfile.ZipFile(labels_zip, 'w') as archive:
        archive.writestr('TrainVal_parsing_annotations/TrainVal_parsing_annotations.zip', inner.getvalue())
    return [str(images_zip), str(labels_zip)]


def test_lip_from_official_zips(tmp_path, lip_zips):
    out = tmp_path / 'LIP'
    lip.main([*lip_zips, '-o', str(out), '--no-verify'])
    assert _files(out) == LIP_FILES


def test_lip_rerun_is_idempotent_and_drops_stale_files(tmp_path, lip_zips):
    out = tmp_path / 'LIP'
    lip.main([*lip_zips, '-o', str(out), '--no-verify'])
    before = _mtimes(out)
    (out / 'val_images' / 'stale.jpg').write_bytes(b'old run')
    lip.main([*lip_zips, '-o', str(out), '--no-verify'])
    assert _mtimes(out) == before


def test_lip_from_extracted_folders(tmp_path):
    src = tmp_path / 'extracted'
    for name, data in LIP_FILES.items():
        (src / 'deep' / name).parent.mkdir(parents=True, exist_ok=True)
        (src / 'deep' / name).write_bytes(data)
    out = tmp_path / 'LIP'
    lip.main([str(src), '-o', str(out), '--no-verify'])
    assert _files(out) == LIP_FILES


def test_lip_verifies_official_counts(tmp_path, lip_zips):
    with pytest.raises(ConversionError, match='found 2 train images.*30462'):
        lip.main([*lip_zips, '-o', str(tmp_path / 'LIP')])
    assert not (tmp_path / 'LIP').exists()  # checked before writing


def test_lip_image_without_label_is_named(tmp_path, lip_zips):
    with pytest.raises(ConversionError, match='image .*1_a.jpg has no label'):
        lip.main([lip_zips[0], '-o', str(tmp_path / 'LIP'), '--no-verify'])


def test_lip_rejects_inputs_without_lip_folders(tmp_path):
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ConversionError, match='no LIP file found'):
        lip.main([str(tmp_path / 'empty'), '-o', str(tmp_path / 'LIP')])


# --------------------------------------------------------- PASCAL-Person-Part
def _palette_png(path, label: np.ndarray) -> None:
    image = Image.fromarray(label, mode='P')
    image.putpalette([0, 0, 0, 128, 0, 0, 0, 128, 0] * 85 + [0, 0, 0])
    image.save(path)


@pytest.fixture
def ppp_release(tmp_path):
    root = tmp_path / 'pascal_person_part'
    (root / 'pascal_person_part_gt').mkdir(parents=True)
    (root / 'pascal_person_part_trainval_list').mkdir()
    voc = tmp_path / 'VOC2010' / 'JPEGImages'
    voc.mkdir(parents=True)
    ids = {'train': ['2008_000008', '2008_000023'], 'val': ['2008_000003']}
    for split, split_ids in ids.items():
        (root / 'pascal_person_part_trainval_list' / f'{split}_id.txt').write_text(''.join(
            f'{i}\n' for i in split_ids))
        for i, sample_id in enumerate(split_ids):
            (voc / f'{sample_id}.jpg').write_bytes(_jpeg_bytes(16, 24))
            label = np.full((16, 24), i, np.uint8)
            label[4:8, 4:8] = 6
            _palette_png(root / 'pascal_person_part_gt' / f'{sample_id}.png', label)
    (voc / '2007_000001.jpg').write_bytes(_jpeg_bytes())  # not a PPP image
    return root, voc


def test_ppp_conversion(tmp_path, ppp_release):
    root, voc = ppp_release
    out = tmp_path / 'out'
    pascal_person_part.main([str(root), str(voc), '-o', str(out), '--no-verify'])
    assert sorted(_files(out)) == [
        'ann_dir/train/2008_000008.png', 'ann_dir/train/2008_000023.png', 'ann_dir/val/2008_000003.png',
        'img_dir/train/2008_000008.jpg', 'img_dir/train/2008_000023.jpg', 'img_dir/val/2008_000003.jpg'
    ]
    with Image.open(out / 'ann_dir' / 'train' / '2008_000023.png') as label:
        assert label.mode == 'L'  # palette indices kept as plain values
        assert np.unique(np.array(label)).tolist() == [1, 6]
    before = _mtimes(out)
    pascal_person_part.main([str(root), str(voc), '-o', str(out), '--no-verify'])
    assert _mtimes(out) == before


def test_ppp_verifies_split_sizes(tmp_path, ppp_release):
    root, voc = ppp_release
    with pytest.raises(ConversionError, match='found 2 train ids.*1716'):
        pascal_person_part.main([str(root), str(voc), '-o', str(tmp_path)])


def test_ppp_bad_label_value_is_named(tmp_path, ppp_release):
    root, voc = ppp_release
    _palette_png(root / 'pascal_person_part_gt' / '2008_000003.png', np.full((16, 24), 9, np.uint8))
    with pytest.raises(ConversionError, match=r'2008_000003.png: label value\(s\) \[9\]'):
        pascal_person_part.main([str(root), str(voc), '-o', str(tmp_path / 'o'), '--no-verify'])


def test_ppp_missing_image_and_size_mismatch(tmp_path, ppp_release):
    root, voc = ppp_release
    (voc / '2008_000003.jpg').write_bytes(_jpeg_bytes(17, 24))
    with pytest.raises(ConversionError, match='is 24x17 but label'):
        pascal_person_part.main([str(root), str(voc), '-o', str(tmp_path / 'o'), '--no-verify'])
    (voc / '2008_000003.jpg').unlink()
    with pytest.raises(ConversionError, match='val id 2008_000003: image .* not found'):
        pascal_person_part.main([str(root), str(voc), '-o', str(tmp_path / 'o'), '--no-verify'])


# ----------------------------------------------------------------------- CCP
CCP_NAMES = ('null accessories bag belt blazer blouse bodysuit boots bra bracelet cape '
             'cardigan clogs coat dress earrings flats glasses gloves hair hat heels '
             'hoodie intimate jacket jeans jumper leggings loafers necklace panties '
             'pants pumps purse ring romper sandals scarf shirt shoes shorts skin '
             'skirt sneakers socks stockings suit sunglasses sweater sweatshirt '
             'swimwear t-shirt tie tights top vest wallet watch wedges').split()
# fine labels null, hair, skin, t-shirt, jeans, dress, shoes, bag
FINE = np.array([[0, 19, 41, 51], [25, 14, 39, 2]], np.uint8)
COARSE = [[0, 1, 2, 3], [4, 5, 6, 7]]


@pytest.fixture
def ccp_release(tmp_path):
    root = tmp_path / 'clothing-co-parsing'
    (root / 'photos').mkdir(parents=True)
    (root / 'annotations' / 'pixel-level').mkdir(parents=True)
    (root / 'label_list.txt').write_text(''.join(f'{i}\t{name}\n' for i, name in enumerate(CCP_NAMES)))
    for i in range(1, 6):
        (root / 'photos' / f'{i:04d}.jpg').write_bytes(_jpeg_bytes(2, 4))
        scipy.io.savemat(root / 'annotations' / 'pixel-level' / f'{i:04d}.mat', {'groundtruth': FINE})
    # a photo with image-level tags only: not converted
    (root / 'photos' / '0006.jpg').write_bytes(_jpeg_bytes(2, 4))
    return root


def test_ccp_conversion_maps_labels_and_splits(tmp_path, ccp_release):
    out = tmp_path / 'ccp'
    ccp.main([str(ccp_release), '-o', str(out)])
    train = (out / 'train.txt').read_text().split()
    val = (out / 'val.txt').read_text().split()
    assert len(train) == 4 and len(val) == 1  # round(0.2 * 5)
    assert sorted(train + val) == ['0001', '0002', '0003', '0004', '0005']
    assert sorted(os.listdir(out / 'img_dir' / 'val')) == [f'{val[0]}.jpg']
    assert sorted(os.listdir(out / 'ann_dir' / 'train')) == [f'{i}.png' for i in train]
    with Image.open(out / 'ann_dir' / 'val' / f'{val[0]}.png') as label:
        assert label.mode == 'L'
        assert np.array(label).tolist() == COARSE


def test_ccp_split_is_seeded_and_reruns_leave_no_stale_files(tmp_path, ccp_release):
    out = tmp_path / 'ccp'
    ccp.main([str(ccp_release), '-o', str(out), '--seed', '3'])
    first = (out / 'val.txt').read_text()
    ccp.main([str(ccp_release), '-o', str(out), '--seed', '3'])
    assert (out / 'val.txt').read_text() == first
    seeds = {}
    for seed in range(6):
        ccp.main([str(ccp_release), '-o', str(out), '--seed', str(seed)])
        seeds[seed] = (out / 'val.txt').read_text()
        images = [name for split in ('train', 'val') for name in os.listdir(out / 'img_dir' / split)]
        assert sorted(images) == [f'{i:04d}.jpg' for i in range(1, 6)]
    assert len(set(seeds.values())) > 1


def test_ccp_unknown_label_name(tmp_path, ccp_release):
    names = CCP_NAMES[:-1] + ['tiara']
    (ccp_release / 'label_list.txt').write_text(''.join(f'{i}\t{name}\n' for i, name in enumerate(names)))
    with pytest.raises(ConversionError, match=r"\['tiara'\] have no coarse"):
        ccp.main([str(ccp_release), '-o', str(tmp_path / 'o')])


def test_ccp_value_outside_label_list(tmp_path, ccp_release):
    mat = ccp_release / 'annotations' / 'pixel-level' / '0002.mat'
    scipy.io.savemat(mat, {'groundtruth': FINE + 10})  # 61 > 58
    with pytest.raises(ConversionError, match=r'0002.mat: value\(s\) \[61\] are not indices'):
        ccp.main([str(ccp_release), '-o', str(tmp_path / 'o')])


def test_ccp_annotation_without_photo_and_missing_variable(tmp_path, ccp_release):
    scipy.io.savemat(ccp_release / 'annotations' / 'pixel-level' / '0003.mat', {'labels': FINE})
    with pytest.raises(ConversionError, match='0003.mat has no variable'):
        ccp.main([str(ccp_release), '-o', str(tmp_path / 'o')])
    (ccp_release / 'photos' / '0004.jpg').unlink()
    with pytest.raises(ConversionError, match='0004.mat has no photo'):
        ccp.main([str(ccp_release), '-o', str(tmp_path / 'o')])


def test_copy_if_changed_compares_content_not_size(tmp_path):
    src, dst = tmp_path / 'src.bin', tmp_path / 'out' / 'dst.bin'
    src.write_bytes(b'new content')
    copy_if_changed(str(src), str(dst))
    assert dst.read_bytes() == b'new content'
    dst.write_bytes(b'old content')  # same size, other bytes: must be replaced
    copy_if_changed(str(src), str(dst))
    assert dst.read_bytes() == b'new content'
    mtime = dst.stat().st_mtime_ns
    copy_if_changed(str(src), str(dst))  # same bytes: left alone
    assert dst.stat().st_mtime_ns == mtime


def test_converter_cli_runs_without_path_tricks(tmp_path):
    from conftest import run_tool
    proc = run_tool(osp.join('dataset_converters', 'gta5.py'), str(tmp_path / 'missing'))
    assert proc.returncode != 0 and 'ConversionError' in proc.stderr and 'not found' in proc.stderr
