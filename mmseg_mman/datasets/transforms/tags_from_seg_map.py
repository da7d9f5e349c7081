from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from .tags import foreground_tags

# What LoadAnnotations adds: removed with the map so that nothing pixel-level reaches the model.
SEG_MAP_KEYS = ('gt_seg_map', 'seg_map_path')


@TRANSFORMS.register_module()
class TagsFromSegMap(BaseTransform):
    """Image-level tags derived from a label map (after ``LoadAnnotations``): the classes present, except
    the background 0 and ``ignore_index``. With ``remove_seg_map`` (default) the map, its path and its
    ``seg_fields`` entry are then removed, so that weak-supervision training sees the tags only; keep it
    (``remove_seg_map=False``) in test pipelines where the map scores the pseudo labels. A label value
    outside the vocabulary is an error naming the map file.

    Required Keys: gt_seg_map. Added Keys: tags. Removed Keys (``remove_seg_map``): gt_seg_map,
    seg_map_path.

    Args:
        num_classes (int): Segmentation classes including the background.
        ignore_index (int): Label value that is no class.
        remove_seg_map (bool): Remove the map after reading its tags.
    """

    def __init__(self, num_classes: int, ignore_index: int = 255, remove_seg_map: bool = True) -> None:
        self.num_classes = num_classes
        self.ignore_index = ignore_index
        self.remove_seg_map = remove_seg_map

    def transform(self, results: dict) -> dict:
        if 'gt_seg_map' not in results:
            raise KeyError(
                f'{results.get("img_path", "<image>")}: TagsFromSegMap found no `gt_seg_map`: put it '
                'after LoadAnnotations')
        values = set(results['gt_seg_map'].ravel().tolist()) - {self.ignore_index}
        results['tags'] = foreground_tags(values, self.num_classes,
                                          results.get('seg_map_path', '<label map>'))
        if self.remove_seg_map:
            for key in SEG_MAP_KEYS:
                results.pop(key, None)
            if 'gt_seg_map' in results.get('seg_fields', []):
                results['seg_fields'].remove('gt_seg_map')
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(num_classes={self.num_classes}, ignore_index={self.ignore_index}, '
            f'remove_seg_map={self.remove_seg_map})')
