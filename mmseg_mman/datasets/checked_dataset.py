"""A BaseSegDataset that checks its folder tree and its files' headers before training starts."""
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import mmengine.fileio as fileio
from mmseg.datasets import BaseSegDataset
from PIL import Image

#: EXIF orientations that turn an image by 90 degrees: cv2 (mmcv's ``LoadImageFromFile`` with
#: ``color_type='color'``, the default) applies a JPEG's, so the decoded image has width and height
#: swapped.
_TRANSPOSING_ORIENTATIONS = (5, 6, 7, 8)
_EXIF_ORIENTATION = 0x0112


class DatasetFilesError(ValueError):
    """Files of a dataset that exist but cannot be used as they are (each named in the message)."""


@dataclass(frozen=True)
class DataProblem:
    """One problem of a dataset: the file, and what is wrong with it (a phrase that follows the
    file name, e.g. ``'has no label: a.png does not exist'``). ``missing``: a file that should
    exist does not (a ``FileNotFoundError`` when the dataset is built)."""
    file: str
    problem: str
    missing: bool = False

    def __str__(self) -> str:
        return f'{self.file} {self.problem}'


class CheckedSegDataset(BaseSegDataset):
    """:class:`BaseSegDataset` that fails when it is built, naming every bad file.

    mmseg's base dataset lists the images ending in ``img_suffix`` and assumes each has a label of
    its size: an image of another extension is silently dropped, a missing label fails in a
    data-loader worker mid-epoch, a label without its image is ignored, a label of another size
    trains out of register (and crashes mmseg's IoUMetric in validation), a 3-channel label
    crashes in ``torch.stack``. This base class checks, when the dataset is built (before the first
    iteration), and reports every problem at once, each naming the file:

    - a missing image or label folder (or ``ann_file``) raises ``FileNotFoundError`` showing the
      expected tree (``EXPECTED_TREE``); so does a split without any image;
    - an image without its label, a label without its image (folder listing mode), or a stem in
      ``ann_file`` without its image: ``FileNotFoundError``;
    - otherwise ``DatasetFilesError`` (a ``ValueError``) for: a file with another image extension
      than ``img_suffix`` in the image folder (an RGBA ``.png`` among ``.jpg``, a ``.JPG``), which
      mmseg would skip: convert it or move it out (folder listing mode only: with ``ann_file`` the
      split names its images); a label whose width and height differ from its image's, naming
      both files (the image's size as decoded for training: EXIF orientations 5-8 swap it); a
      label with more than one channel (RGB, RGBA, grey + alpha), including a grey label saved as
      R=G=B. Labels are single-channel maps of class ids (L, P or 16-bit PNG); a 3-channel one is
      rejected, not guessed at, because a colour-coded label looks the same in the file header;
      an unreadable file header.

    Sizes and channels come from the file headers (``PIL.Image.open`` without decoding);
    ``tools/misc/check_dataset.py`` decodes every file and also checks label
    values. ``check_files=False`` skips the header checks (e.g. a huge remote dataset; the
    listing checks stay). Label values are checked per sample by the ``CheckSegMapValues``
    transform.

    Subclasses set ``METAINFO`` and ``EXPECTED_TREE`` (a text drawing of the layout under
    ``data_root``); one whose loader resizes labels (PPSS) sets ``LABEL_SIZE_MATCHES_IMAGE =
    False``, one whose loader reads grey-as-RGB labels sets ``SINGLE_CHANNEL_LABELS = False``, and
    one with another layout overrides :meth:`list_samples`.

    Args:
        check_files (bool): Read the header of every image and label when the dataset is built.
            Defaults to True.
        **kwargs: :class:`BaseSegDataset` arguments.
    """
    EXPECTED_TREE: str = ''
    #: Whether a label must have its image's width and height.
    LABEL_SIZE_MATCHES_IMAGE: bool = True
    #: Whether a label file must have one channel.
    SINGLE_CHANNEL_LABELS: bool = True
    #: Problems listed in the error raised at build (all of them: tools/misc/check_dataset.py).
    MAX_REPORTED_PROBLEMS: int = 20

    def __init__(self, *args, check_files: bool = True, **kwargs) -> None:
        self.check_files = check_files
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        data_list, problems = self.scan(check_files=self.check_files)
        if problems:
            raise self._problems_error(problems)
        return data_list

    def scan(self, check_files: bool = True) -> Tuple[List[dict], List[DataProblem]]:
        """The complete samples of the split and every problem of its files, without stopping at
        the first one.

        Args:
            check_files: Also read every image and label header (sizes, label channels).

        Returns:
            The samples whose image and label exist (as :meth:`load_data_list` would return
            them), and the problems, missing files first.

        Raises:
            FileNotFoundError: Nothing can be listed (a missing folder or ``ann_file``, no image).
        """
        data_list, problems = self.list_samples()
        if check_files:
            problems += self.check_headers(data_list)
        return data_list, sorted(problems, key=lambda problem: not problem.missing)

    def list_samples(self) -> Tuple[List[dict], List[DataProblem]]:
        """mmseg's listing (image folder or ``ann_file``) and its problems: missing files, orphan
        labels, images of another extension. Only complete samples are returned."""
        img_dir = self.data_prefix.get('img_path', None)
        ann_dir = self.data_prefix.get('seg_map_path', None)
        self._require(img_dir, 'image folder', fileio.isdir)
        if ann_dir:
            self._require(ann_dir, 'label folder', fileio.isdir)
        if self.ann_file:
            self._require(self.ann_file, 'ann_file', fileio.isfile)
        data_list = super().load_data_list()
        files = self._list(img_dir, suffix=None)
        labels = self._list(ann_dir, self.seg_map_suffix) if ann_dir else set()
        strays = self._other_extensions(files, img_dir, ann_dir, labels)
        problems: List[DataProblem] = []
        if self.ann_file:
            data_list, problems = self._listed_images(data_list, files, strays)
        elif strays:
            problems = [
                DataProblem(
                    path, f'has another extension than img_suffix {self.img_suffix!r}: mmseg '
                    'would skip this image (convert it or move it out of the folder)')
                for path in sorted(strays.values())
            ]
        if not data_list and not problems:
            raise FileNotFoundError(f'{type(self).__name__}: no image ending in '
                                    f"'{self.img_suffix}' in {img_dir}.{self._tree_hint()}")
        if ann_dir:
            data_list, pair_problems = self._pairs(data_list, ann_dir, labels, strays)
            problems += pair_problems
        return data_list, problems

    def check_headers(self, data_list: List[dict]) -> List[DataProblem]:
        """Problems seen in the headers of the samples' files: unreadable, label size, channels."""
        problems = []
        for info in data_list:
            image = self._header(info['img_path'], problems)
            if 'seg_map_path' not in info:
                continue
            label = self._header(info['seg_map_path'], problems)
            if image is None or label is None:
                continue
            label_path, (label_size, bands, mode) = info['seg_map_path'], label
            if self.SINGLE_CHANNEL_LABELS and bands > 1:
                problems.append(
                    DataProblem(
                        label_path, f'has {bands} channels (PIL mode {mode}): a label must be a '
                        'single-channel map of class ids; a grey label saved as RGB (R=G=B) must be '
                        'saved with one channel'))
            elif self.LABEL_SIZE_MATCHES_IMAGE and label_size != image[0]:
                problems.append(
                    DataProblem(
                        label_path, f'is {_wxh(label_size)} (width x height) but its image '
                        f"{info['img_path']} is {_wxh(image[0])}"))
        return problems

    def _header(self, path: str, problems: List[DataProblem]) -> Optional[tuple]:
        """((width, height) as decoded, number of channels, PIL mode) of an image file, from its
        header; None (and a problem) if it cannot be read."""
        try:
            with fileio.get_local_path(path, backend_args=self.backend_args) as local, \
                    Image.open(local) as image:
                width, height = image.size
                # a JPEG's EXIF is parsed with its header (a PNG's getexif() would decode it)
                if image.format in ('JPEG', 'MPO') and 'exif' in image.info and \
                        image.getexif().get(_EXIF_ORIENTATION) in _TRANSPOSING_ORIENTATIONS:
                    width, height = height, width
                return (width, height), len(image.getbands()), image.mode
        except Exception as error:  # PIL raises many types for a bad file: report, don't crash
            problems.append(DataProblem(path, f'cannot be read as an image ({_reason(error, path)})'))
            return None

    def _require(self, path: str, what: str, predicate) -> None:
        if not path or not predicate(path, backend_args=self.backend_args):
            raise FileNotFoundError(f'{type(self).__name__}: {what} {path!r} '
                                    f'not found.{self._tree_hint()}')

    def _tree_hint(self) -> str:
        return (f' Expected under data_root={self.data_root!r}:\n'
                f'{self.EXPECTED_TREE}' if self.EXPECTED_TREE else '')

    def _list(self, folder: str, suffix: Optional[str]) -> set:
        return {
            osp.join(folder, name)
            for name in fileio.list_dir_or_file(
                folder, list_dir=False, suffix=suffix, recursive=True, backend_args=self.backend_args)
        }

    def _other_extensions(self, files: set, img_dir: str, ann_dir: Optional[str],
                          labels: set) -> Dict[str, str]:
        """Stem (relative to the image folder) -> path of each image file that does not end in
        ``img_suffix`` (labels living in the image folder excepted)."""
        from ..apis.images import IMAGE_EXTENSIONS  # here: the apis import the models, loaded later
        label_root = osp.join(ann_dir, '') if ann_dir else None
        strays = {}
        for path in files:
            if path.endswith(
                    self.img_suffix) or path in labels or not path.lower().endswith(IMAGE_EXTENSIONS):
                continue
            if label_root and path.startswith(label_root):
                continue
            strays[osp.splitext(osp.relpath(path, img_dir))[0]] = path
        return strays

    def _stray_hint(self, stem: str, strays: Dict[str, str]) -> str:
        if stem not in strays:
            return ''
        return f' (there is {strays[stem]}, but img_suffix is {self.img_suffix!r})'

    def _listed_images(self, data_list: List[dict], files: set,
                       strays: Dict[str, str]) -> Tuple[List[dict], List[DataProblem]]:
        img_dir = self.data_prefix['img_path']
        complete, problems = [], []
        for info in data_list:
            if info['img_path'] in files:
                complete.append(info)
                continue
            stem = osp.relpath(info['img_path'], img_dir)[:-len(self.img_suffix)]
            problems.append(
                DataProblem(
                    info['img_path'], f'listed in {self.ann_file} does not exist'
                    f'{self._stray_hint(stem, strays)}',
                    missing=True))
        return complete, problems

    def _pairs(self, data_list: List[dict], ann_dir: str, labels: set,
               strays: Dict[str, str]) -> Tuple[List[dict], List[DataProblem]]:
        complete, problems = [], []
        for info in data_list:
            if info['seg_map_path'] in labels:
                complete.append(info)
            else:
                problems.append(
                    DataProblem(
                        info['img_path'],
                        f"has no label: {info['seg_map_path']} does not exist",
                        missing=True))
        if self.ann_file:
            return complete, problems  # labels of images not in the split are legitimate
        listed = {info['seg_map_path'] for info in data_list}
        for label in sorted(labels - listed):
            stem = osp.relpath(label, ann_dir)[:-len(self.seg_map_suffix)]
            image = osp.join(self.data_prefix['img_path'], stem) + self.img_suffix
            problems.append(
                DataProblem(
                    label,
                    f'has no image: {image} does not exist{self._stray_hint(stem, strays)}',
                    missing=True))
        return complete, problems

    def _problems_error(self, problems: List[DataProblem]) -> Exception:
        shown = problems[:self.MAX_REPORTED_PROBLEMS]
        more = len(problems) - len(shown)
        lines = '\n'.join(f'  {problem}' for problem in shown) + (f'\n  ... and {more} more' if more else '')
        error = FileNotFoundError if any(problem.missing for problem in problems) else DatasetFilesError
        return error(f'{type(self).__name__}: {len(problems)} problem(s) in the files under '
                     f'data_root={self.data_root!r}:\n{lines}\n'
                     'List them all, decoding every file: python tools/misc/check_dataset.py CONFIG')


def _wxh(size: Tuple[int, int]) -> str:
    return f'{size[0]}x{size[1]}'


def _reason(error: Exception, path: str) -> str:
    """The type of ``error`` and its message, unless the message only repeats the file name."""
    text = str(error)
    return type(
        error).__name__ if osp.basename(path) in text or not text else f'{type(error).__name__}: {text}'
