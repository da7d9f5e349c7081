from .ccp_tag_folding import CCPTagFolding
from .tag_folding import TagFolding

__all__ = ['CCPTagFolding', 'TagFolding']
