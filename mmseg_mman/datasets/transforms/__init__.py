from .check_seg_map_values import CheckSegMapValues
from .load_ccp_pixel_tags import LoadCCPPixelTags
from .load_ccp_tags import LoadCCPTags
from .load_ppss_annotations import LoadPPSSAnnotations
from .load_saliency_map import LoadSaliencyMap
from .load_tags_from_file import LoadTagsFromFile
from .pack_tag_inputs import PackTagInputs
from .tags_from_seg_map import TagsFromSegMap

__all__ = [
    'CheckSegMapValues', 'LoadCCPPixelTags', 'LoadCCPTags', 'LoadPPSSAnnotations', 'LoadSaliencyMap',
    'LoadTagsFromFile', 'PackTagInputs', 'TagsFromSegMap'
]
