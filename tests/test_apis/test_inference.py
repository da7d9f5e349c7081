"""mmseg_mman.apis.inference: the strict checkpoint check of init_parser, for any decode head."""
import pytest
import torch
from conftest import tiny_model_cfg
from mmengine.config import Config
from mmseg.registry import MODELS

from mmseg_mman.apis import build_segmentor
from mmseg_mman.apis.inference import check_weights_fit, inference_state_dict


def deeplabv2_cfg(num_classes: int) -> Config:
    head = dict(type='DeepLabV2Head', in_channels=512, in_index=3, dilations=(1, 2), num_classes=num_classes)
    return Config(dict(model=tiny_model_cfg(None, decode_head=head, test_cfg=dict(mode='whole'))))


def test_a_head_without_conv_seg_gets_the_class_count_check():
    """DeepLab-v2's classifier is its dilated branches: the check finds them, not a fixed key name."""
    model = build_segmentor(deeplabv2_cfg(5))
    weights = build_segmentor(deeplabv2_cfg(4)).state_dict()
    with pytest.raises(
            ValueError, match=r'ckpt\.pth predicts 4 classes \(decode_head\.aspp\.0\.weight .*'
            r'num_classes=5'):
        check_weights_fit(model, weights, 'ckpt.pth', 'cfg.py')
    check_weights_fit(model, model.state_dict(), 'ckpt.pth', 'cfg.py')  # a fitting checkpoint passes


def test_build_segmentor_drops_pretrained_weights_and_optionally_the_discriminators():
    cfg = Config(
        dict(
            model=tiny_model_cfg(
                dict(micro=dict(type='MicroDiscriminator', output='high')),
                pretrained='open-mmlab://resnet18_v1c')))
    assert set(build_segmentor(cfg).discriminator_modules()) == {'micro'}
    assert build_segmentor(cfg, with_discriminators=False).discriminator_modules() == {}
    assert cfg.model.pretrained == 'open-mmlab://resnet18_v1c'  # the config itself is untouched


def test_inference_weights_leave_out_discriminators_and_the_ddp_prefix():
    model = MODELS.build(tiny_model_cfg(dict(micro=dict(type='MicroDiscriminator', output='high'))))
    checkpoint = dict(state_dict={f'module.{k}': v for k, v in model.state_dict().items()})
    weights = inference_state_dict(checkpoint, 'ckpt.pth')
    assert weights.keys() == build_segmentor(Config(dict(model=tiny_model_cfg(None)))).state_dict().keys()
    assert all(torch.equal(weights[k], v) for k, v in model.state_dict().items() if k in weights)
