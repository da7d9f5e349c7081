"""The AdaptSegNet configs: the paper's recipe in numbers, and one training step of each config on a
shrunk model (ResNetV1c-18, narrow discriminators, 64 px source and 48x64 target images)."""
import copy
import math
from pathlib import Path

import pytest
import torch
from mmengine import Config
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

CONFIG_DIR = Path(__file__).parents[2] / 'configs'
ADAPTATION_CONFIGS = sorted(f'adaptsegnet/{p.name}' for p in (CONFIG_DIR / 'adaptsegnet').glob('*.py'))
DEMO_CONFIGS = [
    'demo/adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py',
    'demo/source-only_r18-d4_1xb8-1k_synthetic-domains-32x32.py'
]
# (source dataset, target dataset, classes, evaluator, checkpoint key)
BENCHMARKS = {
    'adaptsegnet/adaptsegnet_r101-d8_1xb1-150k_gta5-to-cityscapes-720x1280.py':
    ('GTA5Dataset', 'CityscapesDataset', 19, 'IoUMetric', 'mIoU'),
    'adaptsegnet/adaptsegnet_r101-d8_1xb1-150k_synthia-to-cityscapes-760x1280.py':
    ('SynthiaDataset', 'CityscapesDataset', 19, 'SubsetIoUMetric', 'mIoU13'),
    'adaptsegnet/adaptsegnet_r101-d8_1xb1-150k_lip-to-ccp-256x256.py':
    ('CheckedLIPDataset', 'CCPDataset', 20, 'LabelMergeIoUMetric', 'mIoU'),
}
SOURCE_SIZE, TARGET_SIZE = (64, 64), (48, 64)


def load(name: str) -> Config:
    return Config.fromfile(str(CONFIG_DIR / name))


def test_every_adaptation_config_is_tested():
    assert ADAPTATION_CONFIGS == sorted(BENCHMARKS)


@pytest.mark.parametrize('name', ADAPTATION_CONFIGS + DEMO_CONFIGS)
def test_config_is_a_domain_adaptation_training_config(name):
    cfg = load(name)
    assert cfg.default_scope == 'mmseg'
    assert cfg.custom_imports == dict(imports=['mmseg_mman'], allow_failed_imports=False)
    assert cfg.model_wrapper_cfg.type == 'MMSeparateDistributedDataParallel'
    model = cfg.model
    assert model.type == 'AdversarialEncoderDecoder' and 'adaptation' not in model
    for disc_cfg in (model.discriminators or {}).values():
        assert disc_cfg.inputs == dict(type='DomainOutputInput', resize_to_input=True)
    assert model.update_order == 'simultaneous'
    assert model.data_preprocessor.type == 'DomainAdaptationDataPreProcessor'
    dataset = cfg.train_dataloader.dataset
    assert dataset.type == 'DomainAdaptationDataset'
    assert 'LoadAnnotations' in [t['type'] for t in dataset.source.pipeline]
    assert 'LoadAnnotations' not in [t['type'] for t in dataset.target.pipeline]
    assert 'seg_map_path' not in dataset.target.data_prefix
    assert cfg.val_dataloader.dataset.type == dataset.target.type
    wrappers = set(cfg.optim_wrapper) - {'constructor'}
    assert wrappers == ({'generator', 'discriminator'} if model.discriminators else {'generator'})


@pytest.mark.parametrize('name', ADAPTATION_CONFIGS)
def test_benchmark_config_follows_its_datasets(name):
    source, target, num_classes, evaluator, best = BENCHMARKS[name]
    cfg = load(name)
    dataset = cfg.train_dataloader.dataset
    assert (dataset.source.type, dataset.target.type) == (source, target)
    assert cfg.model.decode_head.num_classes == cfg.model.auxiliary_head.num_classes == num_classes
    assert cfg.val_evaluator.type == evaluator
    assert cfg.default_hooks.checkpoint.save_best == best
    assert cfg.model.pretrained == 'open-mmlab://resnet101_v1c' and cfg.model.backbone.depth == 101
    assert cfg.train_dataloader.batch_size == 1


def test_gta5_config_is_the_papers_recipe():
    """Tsai et al. CVPR 2018 §4.1 and the authors' code (see configs/_base_/schedules/)."""
    cfg = load('adaptsegnet/adaptsegnet_r101-d8_1xb1-150k_gta5-to-cityscapes-720x1280.py')
    model = cfg.model
    assert (tuple(model.backbone.strides), tuple(model.backbone.dilations)) == ((1, 2, 1, 1), (1, 1, 2, 4))
    assert model.backbone.norm_cfg.requires_grad is False and model.backbone.norm_eval is True
    for head, (in_channels, in_index, weight) in ((model.decode_head, (2048, 3, 1.0)), (model.auxiliary_head,
                                                                                        (1024, 2, 0.1))):
        assert (head.type, tuple(head.dilations)) == ('DeepLabV2Head', (6, 12, 18, 24))
        assert (head.in_channels, head.in_index, head.loss_decode.loss_weight) == (in_channels, in_index,
                                                                                   weight)
    assert {n: (d.output, d.loss_weight) for n, d in model.discriminators.items()} == \
        dict(aux=('aux', 0.0002), main=('high', 0.001))
    assert model.gan_loss.loss_type == 'vanilla'
    assert model.data_preprocessor.size == (720, 1280) and model.data_preprocessor.target_size == (512, 1024)
    resizes = [[t for t in cfg.train_dataloader.dataset[domain].pipeline if t['type'] == 'Resize'][0]
               for domain in ('source', 'target')]
    assert [(r.scale, r.keep_ratio) for r in resizes] == [((1280, 720), False), ((1024, 512), False)]
    generator, discriminator = cfg.optim_wrapper.generator, cfg.optim_wrapper.discriminator
    assert generator.optimizer == dict(type='SGD', lr=2.5e-4, momentum=0.9, weight_decay=5e-4)
    assert {k: v.lr_mult for k, v in generator.paramwise_cfg.custom_keys.items()} == \
        dict(decode_head=10.0, auxiliary_head=10.0)
    assert discriminator.optimizer == dict(type='Adam', lr=1e-4, betas=(0.9, 0.99))
    for (scheduler, ) in cfg.param_scheduler.values():
        assert (scheduler.type, scheduler.power, scheduler.end) == ('PolyLR', 0.9, 250_000)
    assert cfg.train_cfg.max_iters == 150_000


def test_paper_discriminator_has_the_papers_parameter_count():
    cfg = load('adaptsegnet/adaptsegnet_r101-d8_1xb1-150k_gta5-to-cityscapes-720x1280.py')
    disc_cfg = {
        k: v
        for k, v in cfg.model.discriminators.main.items() if k not in ('inputs', 'output', 'loss_weight')
    }
    disc = MODELS.build(dict(disc_cfg, in_channels=19))
    assert sum(p.numel() for p in disc.parameters()) == 2_781_121
    assert disc(torch.zeros(1, 19, 64, 128)).shape == (1, 1, 2, 4)  # 1/32 of the input
    assert not any(isinstance(m, torch.nn.modules.batchnorm._NormBase) for m in disc.modules())


def test_lip_to_ccp_merges_every_lip_class_into_one_ccp_class():
    cfg = load('adaptsegnet/adaptsegnet_r101-d8_1xb1-150k_lip-to-ccp-256x256.py')
    groups = cfg.val_evaluator.merge_groups
    assert len(groups) == 8 and sorted(i for group in groups for i in group) == list(range(20))
    assert cfg.model.test_cfg.flip_pairs == [(14, 15), (16, 17), (18, 19)]


# ---------------------------------------------------------------------------- one training step


def shrink(cfg: Config) -> None:
    model = cfg.model
    model.pretrained = None
    model.data_preprocessor.update(size=SOURCE_SIZE, target_size=TARGET_SIZE)
    if model.backbone.depth != 18:
        model.backbone.depth = 18
        model.decode_head.in_channels, model.auxiliary_head.in_channels = 512, 256
    for disc_cfg in model.discriminators.values():
        disc_cfg.base_channels = 8


def two_domain_batch(num_classes: int) -> dict:
    gen = torch.Generator().manual_seed(0)

    def sample(size, label=None):
        data_sample = SegDataSample(metainfo=dict(img_shape=size, ori_shape=size))
        if label is not None:
            data_sample.gt_sem_seg = PixelData(data=label)
        return data_sample

    return dict(
        inputs=[torch.randint(0, 256, (3, *SOURCE_SIZE), generator=gen).float()],
        data_samples=[sample(SOURCE_SIZE, torch.randint(0, num_classes, (1, *SOURCE_SIZE), generator=gen))],
        target_inputs=[torch.randint(0, 256, (3, *TARGET_SIZE), generator=gen).float()],
        target_data_samples=[sample(TARGET_SIZE)])


def trainable(module: torch.nn.Module) -> dict:
    return {k: v.detach().clone() for k, v in module.named_parameters() if v.requires_grad}


@pytest.mark.parametrize('name', ADAPTATION_CONFIGS + DEMO_CONFIGS[:1])
def test_config_trains_one_step(name):
    cfg = load(name)
    shrink(cfg)
    MessageHub.get_current_instance().update_info('iter', 0)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).train()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = trainable(model)
    log_vars = model.train_step(two_domain_batch(cfg.model.decode_head.num_classes), optim_wrapper)
    assert {'decode.loss_ce', 'aux.loss_ce', 'adv.loss_aux', 'adv.loss_main', 'disc_loss'} <= set(log_vars)
    assert all(math.isfinite(float(v)) for v in log_vars.values()), log_vars
    after = dict(model.named_parameters())
    unchanged = [k for k, v in before.items() if torch.equal(v, after[k].detach())]
    assert unchanged == []  # every trainable G and D parameter took part (DDP needs it) and moved
    frozen = {k for k, v in after.items() if not v.requires_grad}
    norm_params = {
        f'{module_name}.{param_name}'
        for module_name, module in model.named_modules()
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm)
        for param_name, _ in module.named_parameters(recurse=False)
    }
    assert frozen == (norm_params if name in BENCHMARKS else set())  # the paper freezes the backbone's BN


def test_source_only_demo_drops_the_discriminators_only():
    adapted, source_only = (load(name) for name in DEMO_CONFIGS)
    assert source_only.model.discriminators is None and set(
        source_only.optim_wrapper) == {'constructor', 'generator'}
    adapted_model, source_model = copy.deepcopy(adapted.model), copy.deepcopy(source_only.model)
    adapted_model.pop('discriminators'), source_model.pop('discriminators')
    assert adapted_model == source_model
    assert adapted.optim_wrapper.generator == source_only.optim_wrapper.generator
