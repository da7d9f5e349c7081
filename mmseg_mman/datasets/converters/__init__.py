"""Dataset converters: the logic of ``tools/dataset_converters/*.py``, one module per dataset
(:mod:`.ccp`, :mod:`.lip`, :mod:`.pascal_person_part`, :mod:`.cihp`, :mod:`.atr`, :mod:`.gta5`,
:mod:`.synthia`, :mod:`.stanford_background`), each with
``parse_args(argv)`` and ``main(argv)``, and what they share (:mod:`.common`, :mod:`.train_id_maps`).

Not imported by ``mmseg_mman.datasets``: converting needs extra readers (``scipy`` for CCP), which
training and inference do not.
"""
from .common import ConversionError

__all__ = ['ConversionError']
