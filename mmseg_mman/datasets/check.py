"""Decode every file of a config's datasets and list every problem: the logic of
``tools/misc/check_dataset.py``, to run before a long training."""
import copy
import os.path as osp
import sys
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Sequence, Tuple

from mmcv.transforms import LoadAnnotations as MMCVLoadAnnotations
from mmcv.transforms import LoadImageFromFile
from mmengine.config import Config
from mmengine.dataset import ClassBalancedDataset, ConcatDataset, RepeatDataset
from mmengine.registry import init_default_scope
from mmengine.utils import ProgressBar, import_modules_from_strings
from mmseg.datasets import BaseSegDataset, MultiImageMixDataset
from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import DATASETS
from prettytable import PrettyTable

from .checked_dataset import CheckedSegDataset, DataProblem
from .domain_adaptation_dataset import DomainAdaptationDataset
from .transforms import CheckSegMapValues

SPLITS = ('train', 'val', 'test')
#: Config keys under which a dataset wrapper holds the datasets it wraps.
_WRAPPED_KEYS = ('dataset', 'datasets', 'source', 'target')


@dataclass
class SplitReport:
    """What :func:`check_config_datasets` found in one split: ``samples`` decoded,
    ``problems`` (file, problem), ``same_as``: the split whose dataset this one repeats."""
    split: str
    samples: int = 0
    problems: List[DataProblem] = field(default_factory=list)
    same_as: Optional[str] = None

    def summary(self) -> str:
        if self.same_as:
            return f'{self.split}: the dataset of {self.same_as} (checked once)'
        if self.problems:
            return f'{self.split}: {self.samples} samples with both files, {len(self.problems)} problem(s)'
        return f'{self.split}: {self.samples} samples, every image and label decoded, no problem'


def check_config_datasets(cfg: Config,
                          splits: Sequence[str] = SPLITS,
                          progress: bool = True) -> List[SplitReport]:
    """Build each split's dataset of ``cfg`` without stopping at its first problem, decode every
    image and label as the dataset's pipeline loads them, and collect every problem.

    Problems: a folder or ``ann_file`` the dataset cannot list; the listing problems of a
    :class:`CheckedSegDataset` (missing labels, labels without images, images of another
    extension); an image or label that cannot be decoded; a label with more than one channel
    (telling grey saved as RGB from colour); a label of another size than its image (as decoded:
    EXIF rotation applied, PPSS masks resized by their loader); label values that are neither a
    class id nor the dataset's ``ignore_index`` (after ``label_map`` and ``reduce_zero_label``).

    Args:
        cfg: A training config (its ``custom_imports`` are imported, ``default_scope`` set).
        splits: Among ``train``, ``val``, ``test``; a split without a dataloader is skipped.
        progress: Show a progress bar per dataset.
    """
    unknown = sorted(set(splits) - set(SPLITS))
    if unknown:
        raise ValueError(f'unknown split(s) {unknown}: choose among {list(SPLITS)}')
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    reports, checked = [], {}
    for split in splits:
        loader = cfg.get(f'{split}_dataloader')
        if not loader or 'dataset' not in loader:
            continue
        dataset_cfg = loader['dataset'].to_dict() if hasattr(loader['dataset'],
                                                             'to_dict') else loader['dataset']
        key = repr(dataset_cfg)
        if key in checked:
            reports.append(SplitReport(split, same_as=checked[key]))
            continue
        checked[key] = split
        reports.append(_check_split(split, dataset_cfg, progress))
    return reports


def format_report(reports: List[SplitReport]) -> str:
    """Every problem in one table (split, file, problem), then one summary line per split."""
    lines = []
    problems = [(report.split, problem) for report in reports for problem in report.problems]
    if problems:
        table = PrettyTable(['split', 'file', 'problem'])
        table.align = 'l'
        for split, problem in problems:
            table.add_row([split, problem.file, problem.problem])
        lines.append(table.get_string())
    lines += [report.summary() for report in reports]
    return '\n'.join(lines)


def _check_split(split: str, dataset_cfg: dict, progress: bool) -> SplitReport:
    report = SplitReport(split)
    try:
        dataset = DATASETS.build(_lazy(copy.deepcopy(dataset_cfg)))
    except Exception as error:  # any build error is a finding of the check, not a crash of it
        report.problems.append(DataProblem(f'{split}_dataloader.dataset', f'cannot be built: {error}'))
        return report
    for leaf in _leaves(dataset):
        data_list, problems = _listing(leaf)
        report.problems += problems
        report.problems += _decode_all(leaf, data_list, split, progress)
        report.samples += len(data_list)
    return report


def _lazy(dataset_cfg: dict) -> dict:
    """``dataset_cfg`` with ``lazy_init=True`` on it and on every dataset it wraps, so that
    building lists nothing (and raises nothing) yet."""
    dataset_cfg['lazy_init'] = True
    for key in _WRAPPED_KEYS:
        wrapped = dataset_cfg.get(key)
        for child in (wrapped if isinstance(wrapped, list) else [wrapped]):
            if isinstance(child, dict):
                _lazy(child)
    return dataset_cfg


def _leaves(dataset) -> Iterator[BaseSegDataset]:
    """The datasets that list files, inside mmengine's, mmseg's and this package's wrappers."""
    if isinstance(dataset, DomainAdaptationDataset):
        yield from _leaves(dataset.source)
        yield from _leaves(dataset.target)
    elif isinstance(dataset, ConcatDataset):
        for child in dataset.datasets:
            yield from _leaves(child)
    elif isinstance(dataset, (RepeatDataset, ClassBalancedDataset, MultiImageMixDataset)):
        yield from _leaves(dataset.dataset)
    else:
        yield dataset


def _listing(dataset: BaseSegDataset) -> Tuple[List[dict], List[DataProblem]]:
    """The samples of ``dataset`` and its listing problems (decoding does the file checks)."""
    try:
        if isinstance(dataset, CheckedSegDataset):
            return dataset.scan(check_files=False)
        return dataset.load_data_list(), []
    except Exception as error:
        where = dataset.data_prefix.get('img_path') or dataset.data_root or type(dataset).__name__
        return [], [DataProblem(where, f'cannot be listed: {error}')]


def _loaders(dataset: BaseSegDataset) -> Tuple[object, Optional[object]]:
    """The dataset pipeline's own image and label loaders (mmcv's / mmseg's defaults if absent)."""
    transforms = getattr(dataset.pipeline, 'transforms', [])
    image = next((t for t in transforms if isinstance(t, LoadImageFromFile)), None)
    label = next((t for t in transforms if isinstance(t, MMCVLoadAnnotations)), None)
    return image or LoadImageFromFile(), label or LoadAnnotations()


def _decode_all(dataset: BaseSegDataset, data_list: List[dict], split: str,
                progress: bool) -> List[DataProblem]:
    if not data_list:
        return []
    image_loader, label_loader = _loaders(dataset)
    classes = dataset.metainfo.get('classes')
    values = CheckSegMapValues(len(classes), dataset.ignore_index) if classes else None
    folder = dataset.data_prefix.get('img_path') or dataset.data_root
    if progress:
        print(
            f'{split}: decoding {len(data_list)} samples of {type(dataset).__name__} ({folder})', flush=True)
    bar = ProgressBar(len(data_list), file=sys.stdout) if progress else None
    problems = []
    for info in data_list:
        problems += _decode(dict(info), image_loader, label_loader, values)
        if bar:
            bar.update()
    if bar:
        sys.stdout.write('\n')
    return problems


def _decode(results: dict, image_loader, label_loader,
            values: Optional[CheckSegMapValues]) -> List[DataProblem]:
    """The problems of one sample's image and label, decoded by the pipeline's loaders."""
    image_path, label_path = results['img_path'], results.get('seg_map_path')
    results = _load(image_loader, results, image_path)
    if isinstance(results, DataProblem):
        return [results]
    if label_path is None:
        return []
    results = _load(label_loader, results, label_path)
    if isinstance(results, DataProblem):
        return [results]
    label, image_hw = results['gt_seg_map'], results['ori_shape'][:2]
    if label.ndim == 3:
        same = (label == label[..., :1]).all()
        kind = ('all equal: a grey label saved as RGB, save one channel'
                if same else 'that differ: a colour-coded label? labels hold class ids')
        return [DataProblem(label_path, f'has {label.shape[2]} channels {kind}')]
    problems = []
    if label.shape[:2] != tuple(image_hw):
        problems.append(
            DataProblem(
                label_path, f'decodes to {label.shape[1]}x{label.shape[0]} (width x height) but its '
                f'image {image_path} to {image_hw[1]}x{image_hw[0]}'))
    invalid = values.invalid_values(label) if values else []
    if invalid:
        reduced = ' (after reduce_zero_label)' if results.get('reduce_zero_label') else ''
        problems.append(
            DataProblem(
                label_path, f'holds value(s) {_short(invalid)}{reduced} that are neither a class id '
                f'(0..{values.num_classes - 1}) nor the ignore index {values.ignore_index}'))
    return problems


def _load(loader, results: dict, path: str):
    """``loader(results)``, or the problem of ``path`` if it fails."""
    try:
        loaded = loader(results)
    except FileNotFoundError:
        return DataProblem(path, 'does not exist', missing=True)
    except Exception as error:  # a decoder's error is a finding, whatever its type
        message = str(error).replace(f'{path}: ', '').replace(path, osp.basename(path))
        return DataProblem(path, f'cannot be decoded ({type(error).__name__}: {message})')
    if loaded is None:
        return DataProblem(path, 'cannot be decoded')
    return loaded


def _short(values: list, limit: int = 10) -> str:
    shown = ', '.join(str(v) for v in values[:limit])
    return f'[{shown}{", ..." if len(values) > limit else ""}]'
