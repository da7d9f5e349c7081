"""The ASN configs (Luc et al. 2016): what each sets, and one training step of each on a shrunk model
(ResNetV1c-18, narrow discriminators, 64 px images)."""
from pathlib import Path

import pytest
import torch
from conftest import make_batch
from mmengine import Config
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmseg.registry import MODELS

CONFIG_DIR = Path(__file__).parents[2] / 'configs'
# config -> (dataset type, classes, discriminator, encoding)
ASN_CONFIGS = {
    'asn/asn_r101-d16_1xb1-30e_lip-256x256.py':
    ('CheckedLIPDataset', 20, 'FOVDiscriminator', 'ProductLabelMapInput'),
    'asn/asn_r101-d8_1xb1-20k_stanford-background-240x320.py':
    ('StanfordBackgroundDataset', 8, 'StanfordBackgroundDiscriminator', 'LabelMapInput'),
    'asn/asn_r101-d8_1xb4-20k_voc12aug-512x512.py':
    ('PascalVOCDataset', 21, 'FOVDiscriminator', 'ProductLabelMapInput'),
}
NARROW = dict(
    FOVDiscriminator=dict(channels=(8, ) * 6),
    StanfordBackgroundDiscriminator=dict(map_channels=8, image_branch_channels=(4, 8), channels=(8, 8, 8)))


def test_every_asn_config_is_tested():
    assert sorted(f'asn/{p.name}' for p in (CONFIG_DIR / 'asn').glob('*.py')) == sorted(ASN_CONFIGS)


@pytest.mark.parametrize('name', sorted(ASN_CONFIGS))
def test_asn_config_is_luc_et_al_s_method(name):
    dataset, classes, discriminator, encoding = ASN_CONFIGS[name]
    cfg = Config.fromfile(str(CONFIG_DIR / name))
    train_set = cfg.train_dataloader.dataset
    # mmseg's VOC aug set concatenates VOC and the SBD "aug" labels
    assert {d.type for d in train_set.get('datasets', [train_set])} == {dataset}
    assert cfg.model.decode_head.num_classes == classes
    (asn, ) = cfg.model.discriminators.values()
    assert (asn.type, asn.inputs.type, asn.output) == (discriminator, encoding, 'high')
    assert cfg.model.gan_loss.generator_loss == 'minimax'


@pytest.mark.parametrize('name', sorted(ASN_CONFIGS))
def test_asn_config_trains_one_step(name):
    cfg = Config.fromfile(str(CONFIG_DIR / name)).model
    cfg.pretrained = None
    cfg.backbone.update(depth=18, init_cfg=None)
    cfg.decode_head.in_channels = [64, 128, 256, 512] if cfg.decode_head.type == 'MMANHead' else 512
    cfg.data_preprocessor.size = (64, 64)
    for disc_cfg in cfg.discriminators.values():
        disc_cfg.update(NARROW[disc_cfg.type])
    MessageHub.get_current_instance().update_info('iter', 0)
    torch.manual_seed(0)
    model = MODELS.build(cfg).train()
    optim_wrapper = build_optim_wrapper(model, Config.fromfile(str(CONFIG_DIR / name)).optim_wrapper)
    batch = make_batch(batch_size=2, size=64)
    for sample in batch['data_samples']:  # labels of this config's classes
        sample.gt_sem_seg.data %= ASN_CONFIGS[name][1]
    log_vars = model.train_step(batch, optim_wrapper)
    assert {'adv.loss_asn', 'disc_asn.loss_real', 'disc_asn.loss_fake', 'decode.loss_ce'} <= set(log_vars)
    assert float(log_vars['adv.loss_asn']) < 0  # the minimax term log(1 - D) is negative
