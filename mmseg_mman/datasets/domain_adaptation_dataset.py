"""Pairs of a labelled source sample and an unlabelled target sample, for domain adaptation."""
import copy
from typing import Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmseg.registry import DATASETS

from .checked_dataset import DatasetFilesError


@DATASETS.register_module()
class DomainAdaptationDataset:
    """Yield one source and one target sample per item (unsupervised domain adaptation).

    Item ``i`` is source sample ``i`` with a target sample drawn uniformly at random, so an epoch is
    one pass over the source set (length = ``len(source)``; the product of both lengths would make
    mmengine's infinite sampler build a permutation of that size). The draw uses numpy's global
    generator, which mmengine seeds per process and dataloader worker from ``randomness.seed``: runs
    with the same seed see the same pairs, workers do not repeat each other, and a resumed run, whose
    loop replays the consumed batches, draws the same targets. (Under DDP without dataloader workers
    every rank draws the same target sequence unless ``randomness.diff_rank_seed=True``.) Target
    labels are passed through when the target pipeline loads them but never used in training: the
    target pipeline needs no ``LoadAnnotations``. Validation and testing use the target dataset on its
    own, unwrapped.

    Args:
        source (dict | BaseDataset): Labelled source dataset (config or instance).
        target (dict | BaseDataset): Target dataset (config or instance).
        lazy_init (bool): Defer loading the two annotation lists until :meth:`full_init`.

    Item layout (what :class:`DomainAdaptationDataPreProcessor` expects after collation)::

        dict(inputs=<source image (3, H, W)>, data_samples=<source SegDataSample with gt_sem_seg>,
             target_inputs=<target image (3, H_t, W_t)>, target_data_samples=<target SegDataSample>)

    ``metainfo`` is the source dataset's (its classes are the classes the model predicts).
    """

    def __init__(self,
                 source: Union[dict, BaseDataset],
                 target: Union[dict, BaseDataset],
                 lazy_init: bool = False) -> None:
        self.source = self._build(source, 'source')
        self.target = self._build(target, 'target')
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @staticmethod
    def _build(dataset: Union[dict, BaseDataset], role: str) -> BaseDataset:
        if isinstance(dataset, dict):
            # lazy: full_init() below names the domain when its list is empty
            return DATASETS.build(dict(dict(lazy_init=True), **dataset))
        if all(hasattr(dataset, name) for name in ('__getitem__', '__len__', 'full_init')):
            return dataset
        raise TypeError(f'DomainAdaptationDataset: {role} must be a dataset config (dict) or a '
                        f'dataset (e.g. a BaseDataset), got {type(dataset).__name__}')

    @property
    def metainfo(self) -> dict:
        """The source dataset's meta information (a copy)."""
        return copy.deepcopy(self.source.metainfo)

    def full_init(self) -> None:
        """Load both annotation lists; an empty domain is an error."""
        if self._fully_initialized:
            return
        for role, dataset in (('source', self.source), ('target', self.target)):
            try:
                dataset.full_init()
            except DatasetFilesError:
                raise  # its files named, not an empty list
            except ValueError:
                # mmengine fails to serialise an empty list with an unrelated message
                if getattr(dataset, 'data_list', None) == []:
                    raise ValueError(self._empty_message(role, dataset)) from None
                raise
            if len(dataset) == 0:
                raise ValueError(self._empty_message(role, dataset))
        self._fully_initialized = True

    @staticmethod
    def _empty_message(role: str, dataset: BaseDataset) -> str:
        return (f'DomainAdaptationDataset: the {role} dataset {type(dataset).__name__} is empty: no '
                f"image ending in {getattr(dataset, 'img_suffix', '?')!r} in "
                f"{getattr(dataset, 'data_prefix', {}).get('img_path')!r}")

    def __len__(self) -> int:
        self.full_init()
        return len(self.source)

    def __getitem__(self, idx: int) -> dict:
        self.full_init()
        source = self.source[idx]
        target = self.target[np.random.randint(len(self.target))]
        return dict(
            inputs=source['inputs'],
            data_samples=source['data_samples'],
            target_inputs=target['inputs'],
            target_data_samples=target['data_samples'])
