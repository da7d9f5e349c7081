import pytest
import torch
from mmseg.registry import MODELS

from mmseg_mman.datasets.ccp import CCP_COARSE_CLASSES, CCP_LABEL_TO_COARSE


def test_folded_attention_is_the_maximum_of_each_class_garments():
    # vocabulary 1..4 -> classes: 1 and 2 -> 1, 3 -> 2, 4 -> background (dropped)
    folding = MODELS.build(dict(type='TagFolding', lut=[0, 1, 1, 2, 0]))
    attention = torch.tensor([[[0.2, 0.9]], [[0.7, 0.1]], [[0.4, 0.0]], [[1.0, 1.0]]])
    folded, tags = folding(attention, (2, 3, 4))
    assert folding.num_classes == 3
    assert torch.equal(folded, torch.tensor([[[0.7, 0.9]], [[0.4, 0.0]]]))
    assert tags == (1, 2)
    # a class without members stays 0; the tags of one class count once
    folded, tags = MODELS.build(dict(type='TagFolding', lut=[0, 2, 2]))(attention[:2], (1, 2))
    assert folded[0].eq(0).all() and tags == (2, )


def test_bad_lut_and_attention_of_another_vocabulary():
    with pytest.raises(ValueError, match=r'lut must map class 0 to 0'):
        MODELS.build(dict(type='TagFolding', lut=[1, 1]))
    with pytest.raises(ValueError, match=r'lut must map class 0 to 0 .*-1'):
        MODELS.build(dict(type='TagFolding', lut=[0, -1]))
    folding = MODELS.build(dict(type='TagFolding', lut=[0, 1, 1]))
    with pytest.raises(ValueError, match='attention has 3 classes, the lut folds 2'):
        folding(torch.zeros(3, 2, 2), ())
    with pytest.raises(ValueError, match=r'tag\(s\) \[-1, 3\] are not vocabulary classes 1..2'):
        folding(torch.zeros(2, 2, 2), (1, 3, -1))


def test_ccp_folding_follows_the_converters_coarse_mapping(tmp_path):
    names = list(CCP_LABEL_TO_COARSE)  # 'null' first, as label_list.txt
    label_list = tmp_path / 'label_list.txt'
    label_list.write_text(''.join(f'{i}\t{name}\n' for i, name in enumerate(names)))
    folding = MODELS.build(dict(type='CCPTagFolding', label_list=str(label_list)))
    assert folding.num_classes == len(CCP_COARSE_CLASSES) == 8
    attention = torch.zeros(len(names) - 1, 1, 1)
    attention[names.index('blazer') - 1] = 0.3
    attention[names.index('shirt') - 1] = 0.8
    folded, tags = folding(attention, (names.index('blazer'), names.index('shirt'), names.index('boots')))
    upper, shoes = CCP_COARSE_CLASSES.index('UpperClothes'), CCP_COARSE_CLASSES.index('Shoes')
    assert tags == (upper, shoes)
    assert folded[upper - 1].item() == pytest.approx(0.8) and folded.sum().item() == pytest.approx(0.8)
    label_list.write_text('0\tnull\n2\tbelt\n')
    with pytest.raises(ValueError, match=r'indices \[1\] are missing'):
        MODELS.build(dict(type='CCPTagFolding', label_list=str(label_list)))
