import copy
from typing import List, Optional

import torch
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from .base_saliency_source import BaseSaliencySource

# What the parser's data preprocessor must share with SeeNet's: the same preprocessed inputs serve both.
SHARED_PREPROCESSING = ('mean', 'std', 'channel_conversion')


@MODELS.register_module()
class ParserSaliency(BaseSaliencySource):
    """Saliency = 1 - P(background) of a trained parser of this project (e.g. an MMAN checkpoint): the
    link between the parsing and the weak-supervision halves. The parser runs on the same preprocessed
    inputs as SeeNet (checked at build: same mean, std and channel order), its softmax at the original
    image size gives the map. It is not a submodule: its weights are neither trained nor saved with
    SeeNet's.

    Args:
        config (str): The parser's config file.
        checkpoint (str): Its weights (loaded through the project's checkpoint policy, weights-only
            unless trusted).
        background_index (int): The parser's background class.
        cfg_options (dict, optional): Overrides of the parser config.

    Shapes: out (H_ori, W_ori) per image in [0, 1].
    """

    def __init__(self,
                 config: str,
                 checkpoint: str,
                 background_index: int = 0,
                 cfg_options: Optional[dict] = None) -> None:
        from mmseg_mman.apis import init_parser  # apis imports the models package: import when used
        self._models = [init_parser(config, checkpoint, cfg_options=cfg_options)]
        num_classes = self.parser.num_classes
        if not 0 <= background_index < num_classes:
            raise ValueError(f'ParserSaliency: background_index={background_index} is not a class of the '
                             f'{num_classes}-class parser {config}')
        self.background_index = background_index
        self.config = config

    @property
    def parser(self) -> torch.nn.Module:
        return self._models[0]

    def check_compatible(self, data_preprocessor) -> None:
        theirs = self.parser.data_preprocessor
        for name in SHARED_PREPROCESSING:
            mine, other = getattr(data_preprocessor, name, None), getattr(theirs, name, None)
            same = (mine == other) if not isinstance(mine, Tensor) else torch.equal(mine.cpu(), other.cpu())
            if not same:
                raise ValueError(f'ParserSaliency: the parser {self.config} preprocesses images differently '
                                 f'({name}: {other} vs SeeNet {mine}); use the same mean/std/bgr_to_rgb')

    @torch.no_grad()
    def __call__(self, inputs: Tensor, data_samples: SampleList) -> List[Tensor]:
        parser = self.parser.to(inputs.device).eval()
        results = parser.predict(inputs, copy.deepcopy(data_samples))
        return [1 - result.seg_logits.data.softmax(dim=0)[self.background_index] for result in results]
