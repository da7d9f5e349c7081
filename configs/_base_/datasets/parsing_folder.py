# A labelled folder of your own, defined in this config alone (no dataset
# class): copy this file, set the classes, palette, suffixes, folders and
# left/right pairs below, and point data_root at your tree:
#   data/my_parsing/images/{train,val}/<name>.jpg
#   data/my_parsing/labels/{train,val}/<name>.png   (single-channel, value =
#                                                    class id, 255 = ignore)
# `python tools/misc/check_dataset.py CONFIG` checks the tree and the label
# values before you train. The MMAN recipe of human_parsing.py is applied to
# these classes (human_parsing_recipe); the same flip pairs go to the flip
# augmentation, the dataset (which checks they agree) and the model's flipped
# test views (flip_pairs, taken by configs/mman/*_parsing-folder-*.py).
_base_ = ['./human_parsing.py']
from mmseg_mman.datasets import human_parsing_recipe, resolve_flip_pairs  # noqa: E402

data_root = 'data/my_parsing'
img_dir, label_dir = 'images', 'labels'
img_suffix, seg_map_suffix = '.jpg', '.png'
classes = ('Background', 'Hair', 'Face', 'Upper-clothes', 'Lower-clothes', 'Left-arm', 'Right-arm',
           'Left-leg', 'Right-leg', 'Left-shoe', 'Right-shoe')
palette = [[0, 0, 0], [255, 0, 0], [0, 0, 255], [255, 85, 0], [0, 85, 85], [51, 170, 221], [0, 255, 255],
           [85, 255, 170], [170, 255, 85], [255, 255, 0], [255, 170, 0]]
# None derives the pairs from the names (Left-x / Right-x, left_x / right_x,
# LeftX / RightX); or name them: [('Left-arm', 'Right-arm'), ...]; [] for none.
left_right = None
flip_pairs = resolve_flip_pairs(classes, left_right)
num_classes = len(classes)
parsing_recipe = human_parsing_recipe(num_classes, flip_pairs)
crop_size = parsing_recipe['crop_size']
train_pipeline = parsing_recipe['train']
test_pipeline = parsing_recipe['test']
tta_pipeline = parsing_recipe['tta']
dataset = dict(
    type='ParsingFolderDataset',
    classes=classes,
    palette=palette,
    flip_pairs=flip_pairs,
    img_suffix=img_suffix,
    seg_map_suffix=seg_map_suffix,
    data_root=data_root)
train_dataloader = dict(
    dataset=dict(
        dataset,
        data_prefix=dict(img_path=f'{img_dir}/train', seg_map_path=f'{label_dir}/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        dataset,
        data_prefix=dict(img_path=f'{img_dir}/val', seg_map_path=f'{label_dir}/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
