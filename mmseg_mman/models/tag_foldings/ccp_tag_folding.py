from mmseg.registry import MODELS

from mmseg_mman.datasets.transforms.load_ccp_tags import ccp_label_lut
from .tag_folding import TagFolding


@MODELS.register_module()
class CCPTagFolding(TagFolding):
    """:class:`TagFolding` of Clothing Co-Parsing's fine vocabulary (the 59 labels of ``label_list.txt``,
    ``LoadCCPTags(vocabulary='fine')``) into :class:`CCPDataset`'s 8 coarse classes
    (``CCP_LABEL_TO_COARSE``, the mapping of the converter and of ``vocabulary='coarse'``).

    Args:
        label_list (str): ``label_list.txt`` of the release.

    Shapes: as :class:`TagFolding`, attention (58, H, W) in, (7, H, W) out.
    """

    def __init__(self, label_list: str) -> None:
        lut, _ = ccp_label_lut(label_list, 'coarse')
        if (lut < 0).any():
            missing = [i for i, c in enumerate(lut.tolist()) if c < 0]
            raise ValueError(f'{label_list}: indices {missing} are missing: label_list must number its '
                             'labels 0..N-1')
        super().__init__(lut.tolist())
        self.label_list = label_list
