"""PPSS (Luo, Wang, Tang, ICCV 2013) read from its original layout."""
import logging
import os.path as osp
from types import MappingProxyType
from typing import Dict, List, Sequence, Tuple, Union

import mmengine.fileio as fileio
from mmengine.logging import print_log
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset, DataProblem

#: Grey level stored in a PPSS ``<frame>_m.png`` -> class id.
PPSS_GREY_LEVELS = MappingProxyType({
    0: 0,  # background
    9: 1,  # hair
    19: 2,  # face
    29: 3,  # upper clothes
    50: 4,  # arms
    39: 5,  # lower clothes
    60: 6,  # legs
    62: 7,  # shoes
})

#: Video numbers of the standard split (the paper's PPSS test set: 101-171).
PPSS_VIDEO_SPLITS = MappingProxyType({
    'train': tuple(range(1, 101)),
    'test': tuple(range(101, 172)),
})


@DATASETS.register_module()
class PPSSDataset(CheckedSegDataset):
    """Pedestrian Parsing in Surveillance Scenes, 8 classes.

    3,673 small pedestrian crops from 171 surveillance videos. The dataset is
    read as released, without conversion::

        data_root (e.g. data/PPSS)
        ├── TrainData/<video>/<frame>.jpg + <frame>_m.png
        └── TestData/<video>/<frame>.jpg + <frame>_m.png

    Every folder named by a number (``1``, ``012``, ...) directly under
    ``data_root`` or one level below is a video, so a flat
    ``data_root/<video>/`` packaging works too. Samples are selected by video
    number: ``videos='train'`` is videos 1-100, ``videos='test'`` is
    101-171 (1,892 images, the test set of MMAN's LIP -> PPSS transfer
    experiment, where MMAN reaches 52.1 mean IoU over the 7 classes without
    shoes); a sequence of numbers selects any other split.

    Masks store grey levels, decoded by the ``LoadPPSSAnnotations`` transform
    (use it instead of ``LoadAnnotations``), which also resizes a mask that
    is not the size of its image with nearest neighbour (so label sizes are not checked at build)
    and reads masks saved with three identical channels. The files are otherwise checked when the
    dataset is built (:class:`CheckedSegDataset`): images without masks and the reverse, other
    image extensions in a video folder, unreadable headers.

    Classes: 0 Background, 1 Hair, 2 Face, 3 UpperClothes, 4 Arms,
    5 LowerClothes, 6 Legs, 7 Shoes.

    Args:
        videos (str | Sequence[int]): ``'train'``, ``'test'`` or video
            numbers. Defaults to ``'test'``.
        img_suffix (str): Defaults to '.jpg'.
        seg_map_suffix (str): Defaults to '_m.png'.
        **kwargs: :class:`CheckedSegDataset` arguments; ``data_root`` is
            required, ``ann_file`` and ``data_prefix`` are not used.
    """
    METAINFO = dict(
        classes=('Background', 'Hair', 'Face', 'UpperClothes', 'Arms', 'LowerClothes', 'Legs', 'Shoes'),
        palette=[[0, 0, 0], [255, 0, 0], [0, 0, 255], [255, 85, 0], [51, 170, 221], [0, 85, 85],
                 [85, 255, 170], [255, 255, 0]])
    EXPECTED_TREE = ('  TrainData/<video>/<frame>.jpg, <frame>_m.png\n'
                     '  TestData/<video>/<frame>.jpg, <frame>_m.png\n'
                     '(<video> = 1..171; train 1-100, test 101-171)')
    # Masks of another size are resized to their image, grey-as-RGB masks read (LoadPPSSAnnotations).
    LABEL_SIZE_MATCHES_IMAGE = False
    SINGLE_CHANNEL_LABELS = False

    def __init__(self,
                 videos: Union[str, Sequence[int]] = 'test',
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '_m.png',
                 **kwargs) -> None:
        if kwargs.get('ann_file'):
            raise ValueError('PPSSDataset selects samples by video number '
                             '(`videos`), not by ann_file.')
        self.videos = self._resolve_videos(videos)
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)

    @staticmethod
    def _resolve_videos(videos: Union[str, Sequence[int]]) -> tuple:
        if isinstance(videos, str):
            if videos not in PPSS_VIDEO_SPLITS:
                raise ValueError(f'unknown PPSS split {videos!r}; use one of '
                                 f'{list(PPSS_VIDEO_SPLITS)} or a list of '
                                 'video numbers.')
            return PPSS_VIDEO_SPLITS[videos]
        return tuple(sorted({int(video) for video in videos}))

    def list_samples(self) -> Tuple[List[dict], List[DataProblem]]:
        if not self.data_root or not fileio.isdir(self.data_root, backend_args=self.backend_args):
            raise FileNotFoundError(f'PPSSDataset: data_root {self.data_root!r} not found. '
                                    f'Expected:\n{self.EXPECTED_TREE}')
        found = self._find_video_dirs()
        wanted = [video for video in self.videos if video in found]
        if not wanted:
            raise FileNotFoundError(f'PPSSDataset: none of the videos {self._span()} under '
                                    f'{self.data_root}. Expected:\n{self.EXPECTED_TREE}')
        if len(wanted) < len(self.videos):
            missing = sorted(set(self.videos) - set(wanted))
            print_log(
                f'PPSSDataset: videos {missing} not found under '
                f'{self.data_root}; using {len(wanted)} videos.',
                logger='current',
                level=logging.WARNING)
        data_list, problems = [], []
        for video in wanted:
            self._video_samples(found[video], data_list, problems)
        if not data_list and not problems:
            raise FileNotFoundError(f'PPSSDataset: no <frame>{self.img_suffix} in videos '
                                    f'{wanted} under {self.data_root}.')
        return data_list, problems

    def _span(self) -> str:
        return f'{self.videos[0]}..{self.videos[-1]}'

    def _find_video_dirs(self) -> Dict[int, str]:
        """Video number -> folder, searching data_root and one level below."""
        found: Dict[int, str] = {}
        for parent in [self.data_root] + self._subdirs(self.data_root):
            for name in self._subdirs(parent):
                base = osp.basename(name)
                if not base.isdigit():
                    continue
                if int(base) in found:
                    raise ValueError(f'PPSSDataset: video {int(base)} appears twice: '
                                     f'{found[int(base)]} and {name}.')
                found[int(base)] = name
        return found

    def _subdirs(self, folder: str) -> List[str]:
        return sorted(
            osp.join(folder, name)
            for name in fileio.list_dir_or_file(folder, list_file=False, backend_args=self.backend_args))

    def _video_samples(self, video_dir: str, data_list: List[dict], problems: List[DataProblem]) -> None:
        """Pair ``<frame>.jpg`` with ``<frame>_m.png`` in one video folder: the pairs go to
        ``data_list``, frames without masks, masks without frames and other images to ``problems``."""
        files = set(fileio.list_dir_or_file(video_dir, list_dir=False, backend_args=self.backend_args))
        masks = {f for f in files if f.endswith(self.seg_map_suffix)}
        images = {f for f in files - masks if f.endswith(self.img_suffix)}
        stems = {f[:-len(self.img_suffix)] for f in images}
        others = self._other_extensions({osp.join(video_dir, f)
                                         for f in files - masks}, video_dir, None, set())
        for stray in sorted(others.values()):
            problems.append(
                DataProblem(
                    stray, f'has another extension than {self.img_suffix!r}: PPSSDataset would '
                    'skip this frame (convert it or move it out of the folder)'))
        for mask in sorted(masks):
            if mask[:-len(self.seg_map_suffix)] not in stems:
                problems.append(
                    DataProblem(
                        osp.join(video_dir, mask), f'has no image {mask[:-len(self.seg_map_suffix)]}'
                        f'{self.img_suffix}',
                        missing=True))
        for stem in sorted(stems):
            mask = stem + self.seg_map_suffix
            if mask not in masks:
                problems.append(
                    DataProblem(
                        osp.join(video_dir, stem) + self.img_suffix, f'has no mask {mask}', missing=True))
                continue
            data_list.append(
                dict(
                    img_path=osp.join(video_dir, stem + self.img_suffix),
                    seg_map_path=osp.join(video_dir, mask),
                    label_map=self.label_map,
                    reduce_zero_label=self.reduce_zero_label,
                    seg_fields=[]))
