"""A BaseSegDataset that checks its folder tree before training starts."""
import os.path as osp
from typing import List

import mmengine.fileio as fileio
from mmseg.datasets import BaseSegDataset


class CheckedSegDataset(BaseSegDataset):
    """:class:`BaseSegDataset` that fails early, naming files and the tree.

    mmseg's base dataset lists images and silently assumes each has a label;
    a missing label then fails in a data-loader worker mid-epoch, and a label
    without its image is silently dropped. This base class checks the tree
    when the dataset is built:

    - a missing image or label folder (or ``ann_file``) raises
      ``FileNotFoundError`` showing the expected tree (``EXPECTED_TREE``);
    - an image without its label, a label without its image (folder listing
      mode), or a stem in ``ann_file`` without its image raises
      ``FileNotFoundError`` naming the file;
    - an empty split raises ``FileNotFoundError``.

    Subclasses set ``METAINFO`` and ``EXPECTED_TREE`` (a text drawing of the
    layout under ``data_root``). Label values are checked per sample by the
    ``CheckSegMapValues`` transform.
    """
    EXPECTED_TREE: str = ''

    def load_data_list(self) -> List[dict]:
        img_dir = self.data_prefix.get('img_path', None)
        ann_dir = self.data_prefix.get('seg_map_path', None)
        self._require(img_dir, 'image folder', fileio.isdir)
        if ann_dir:
            self._require(ann_dir, 'label folder', fileio.isdir)
        if self.ann_file:
            self._require(self.ann_file, 'ann_file', fileio.isfile)
        data_list = super().load_data_list()
        if not data_list:
            raise FileNotFoundError(f'{type(self).__name__}: no image ending in '
                                    f"'{self.img_suffix}' in {img_dir}.{self._tree_hint()}")
        if self.ann_file:
            self._check_listed_images_exist(data_list, img_dir)
        if ann_dir:
            self._check_pairs(data_list, ann_dir)
        return data_list

    def _require(self, path: str, what: str, predicate) -> None:
        if not path or not predicate(path, backend_args=self.backend_args):
            raise FileNotFoundError(f'{type(self).__name__}: {what} {path!r} '
                                    f'not found.{self._tree_hint()}')

    def _tree_hint(self) -> str:
        return (f' Expected under data_root={self.data_root!r}:\n'
                f'{self.EXPECTED_TREE}' if self.EXPECTED_TREE else '')

    def _list(self, folder: str, suffix: str) -> set:
        return {
            osp.join(folder, name)
            for name in fileio.list_dir_or_file(
                folder, list_dir=False, suffix=suffix, recursive=True, backend_args=self.backend_args)
        }

    def _check_listed_images_exist(self, data_list: List[dict], img_dir: str) -> None:
        images = self._list(img_dir, self.img_suffix)
        for info in data_list:
            if info['img_path'] not in images:
                raise FileNotFoundError(f"{type(self).__name__}: image {info['img_path']} listed "
                                        f'in {self.ann_file} does not exist.')

    def _check_pairs(self, data_list: List[dict], ann_dir: str) -> None:
        labels = self._list(ann_dir, self.seg_map_suffix)
        for info in data_list:
            if info['seg_map_path'] not in labels:
                raise FileNotFoundError(f"{type(self).__name__}: image {info['img_path']} has no "
                                        f"label: {info['seg_map_path']} does not exist.")
        if self.ann_file:
            return  # labels of images not in the split are legitimate
        listed = {info['seg_map_path'] for info in data_list}
        for label in sorted(labels - listed):
            stem = osp.relpath(label, ann_dir)[:-len(self.seg_map_suffix)]
            raise FileNotFoundError(f'{type(self).__name__}: label {label} has no image: '
                                    f"{osp.join(self.data_prefix['img_path'], stem)}"
                                    f'{self.img_suffix} does not exist.')
