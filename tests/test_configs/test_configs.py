"""The config tree: every top-level config loads, the schedules match the paper's epochs, and one
training step of each paper variant and each backbone family runs from its config.

Models are built without pretrained weights (nothing is downloaded) and shrunk where a step would be
slow: the ResNet-101 configs run with depth 18 and narrow head and discriminator widths.
"""
import copy
import math
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List

import pytest
import torch
from conftest import NUM_CLASSES, make_batch
from mmengine import Config
from mmengine.dataset import BaseDataset
from mmengine.logging import MessageHub
from mmengine.optim import MultiStepLR, OptimWrapperDict, build_optim_wrapper
from mmengine.runner import Runner
from mmseg.registry import DATASETS, MODELS

CONFIG_DIR = Path(__file__).parents[2] / 'configs' / 'mman'
FRONT_DOOR = CONFIG_DIR.parent / 'mman_r101_lip.py'
# The MMAN paper's configs; the domain-adaptation (AdaptSegNet) ones are tested in
# test_adaptsegnet_configs.py.
TOP_LEVEL_CONFIGS = sorted(p.name for p in CONFIG_DIR.glob('*.py'))
LIP_R101 = 'mman_r101-d16_1xb1-30e_lip-256x256.py'
SIZE = 64
RESNET18_CHANNELS = [64, 128, 256, 512]

# Discriminator names of each variant, and the head output each one judges.
VARIANTS = {
    'do-aspp_r101-d16_1xb1-30e_lip-256x256.py': {},
    'mman-macro_r101-d16_1xb1-30e_lip-256x256.py': dict(macro='low'),
    'mman-micro_r101-d16_1xb1-30e_lip-256x256.py': dict(micro='high'),
    LIP_R101: dict(macro='low', micro='high'),
    'single-an_r101-d16_1xb1-30e_lip-256x256.py': dict(single='high'),
    'double-an_r101-d16_1xb1-30e_lip-256x256.py': dict(single='high', micro='high'),
    'multiple-an_r101-d16_1xb1-30e_lip-256x256.py': dict(macro='low', micro='high', mid='mid'),
    'mman-official_r101-d16_1xb1-30e_lip-256x256.py': dict(macro='low', micro='high'),
}
# MMAN on the other datasets: (train dataset, test dataset, classes, epochs, lr-drop epoch).
DATASET_CONFIGS = {
    'mman_r101-d16_1xb1-50e_pascal-person-part-256x256.py':
    ('PascalPersonPartDataset', 'PascalPersonPartDataset', 7, 50, 25),
    'mman_r101-d16_1xb1-30e_lip-to-ppss-256x256.py': ('CheckedLIPDataset', 'PPSSDataset', 20, 30, 15),
    'mman_r101-d16_1xb1-50e_ccp-256x256.py': ('CCPDataset', 'CCPDataset', 8, 50, 25),
    'mman_r101-d16_1xb1-30e_cihp-256x256.py': ('CIHPDataset', 'CIHPDataset', 20, 30, 15),
    'mman_r101-d16_1xb1-30e_atr-256x256.py': ('ATRDataset', 'ATRDataset', 18, 30, 15),
    'mman_r101-d16_1xb1-30e_parsing-folder-256x256.py':
    ('ParsingFolderDataset', 'ParsingFolderDataset', 11, 30, 15),
}
# Stride of the low-resolution map of each backbone family.
FAMILIES = {
    'mman_r50-d16_1xb1-30e_lip-256x256.py': 16,
    'mman_hr18s_1xb1-30e_lip-256x256.py': 32,
    'mman_mit-b0_1xb1-30e_lip-256x256.py': 32,
    'mman_m-v2-d16_1xb1-30e_lip-256x256.py': 16,
    'mman_swin-t_1xb1-30e_lip-256x256.py': 32,
    'mman_vit-b16-mln_1xb1-30e_lip-256x256.py': 32,
    'mman_mscan-t_1xb1-30e_lip-256x256.py': 32,
    'mman_stdc1_1xb1-30e_lip-256x256.py': 32,
    'mman_m-v3-l_1xb1-30e_lip-256x256.py': 8,
    'mman_unet-s5-d16_1xb1-30e_lip-256x256.py': 16,
}


@pytest.fixture(scope='module')
def load_config() -> Callable[[str], Config]:
    """Load a top-level config once per module; every call returns a private copy."""
    cached = lru_cache(maxsize=None)(lambda name: Config.fromfile(str(CONFIG_DIR / name)))
    return lambda name: copy.deepcopy(cached(name))


def without_pretrained_weights(model_cfg: Config) -> None:
    model_cfg.pretrained = None
    model_cfg.backbone.pop('init_cfg', None)
    model_cfg.backbone.pop('pretrained', None)


def shrink_resnet(model_cfg: Config) -> None:
    """ResNetV1c-18 with a narrow decoder: the same structure, a fraction of the cost."""
    model_cfg.backbone.depth = 18
    model_cfg.decode_head.update(
        in_channels=RESNET18_CHANNELS,
        decoder_channels=(32, 16, 16),
        final_upsample_channels=(16, 16),
        channels=16,
        skip_channels=8)


def build_for_test(cfg: Config) -> torch.nn.Module:
    model_cfg = cfg.model
    without_pretrained_weights(model_cfg)
    model_cfg.data_preprocessor.size = (SIZE, SIZE)
    if model_cfg.backbone.type == 'ResNetV1c':
        shrink_resnet(model_cfg)
    if 'drop_path_rate' in model_cfg.backbone:
        # Stochastic depth at batch size 1 can drop a whole branch: no update for its parameters.
        model_cfg.backbone.drop_path_rate = 0.0
    for disc_cfg in (model_cfg.get('discriminators') or {}).values():
        disc_cfg.base_channels = 8
    torch.manual_seed(0)
    # PyTorch's default init, not init_weights(): ResNet's zero_init_residual would leave parts of
    # every residual branch without gradient, hiding the check that every parameter is trained.
    return MODELS.build(model_cfg).train()


def snapshot(module: torch.nn.Module) -> Dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in module.named_parameters() if v.requires_grad}


def unchanged(before: Dict[str, torch.Tensor], module: torch.nn.Module) -> List[str]:
    after = dict(module.named_parameters())
    return [k for k, v in before.items() if torch.equal(v, after[k].detach())]


def generator_parts(model: torch.nn.Module) -> torch.nn.ModuleDict:
    return torch.nn.ModuleDict(model.generator_modules())


def train_one_step(cfg: Config, batch_size: int) -> tuple:
    MessageHub.get_current_instance().update_info('iter', 0)
    model = build_for_test(cfg)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    g_before, d_before = snapshot(generator_parts(model)), snapshot(
        torch.nn.ModuleDict(model.discriminator_modules()))
    log_vars = model.train_step(make_batch(batch_size=batch_size, size=SIZE), optim_wrapper)
    return model, log_vars, g_before, d_before


def expected_loss_keys(discriminators: Dict[str, str], disc_updated: bool) -> set:
    keys = {'loss', 'decode.loss_ce', 'decode.loss_ce_low', 'decode.acc_seg'}
    if 'mid' in discriminators.values():
        keys.add('decode.loss_ce_mid')
    for name in discriminators:
        keys.add(f'adv.loss_{name}')
        if disc_updated:
            keys.update(f'disc_{name}.{k}' for k in ('loss_real', 'loss_fake', 'score_real', 'score_fake'))
    if discriminators and disc_updated:
        keys.add('disc_loss')
    return keys


def head_outputs(model: torch.nn.Module, batch_size: int) -> Dict[str, torch.Tensor]:
    data = model.data_preprocessor(make_batch(batch_size=batch_size, size=SIZE, seed=1), False)
    with torch.no_grad():
        return model.decode_head.named_outputs(model(data['inputs'], mode='tensor'))


def check_train_step(cfg: Config,
                     discriminators: Dict[str, str],
                     low_stride: int,
                     batch_size: int = 2) -> None:
    model, log_vars, g_before, d_before = train_one_step(cfg, batch_size)
    disc_updated = bool(discriminators) and model.updates_discriminators_at(0)
    assert set(log_vars) == expected_loss_keys(discriminators, disc_updated)
    assert all(math.isfinite(float(v)) for v in log_vars.values()), log_vars
    assert {name: model.judged_output(name) for name in model.discriminator_modules()} == discriminators
    # Every generator parameter took part and was updated (DDP with find_unused_parameters=False
    # needs the first); the discriminators were updated exactly when a D step was due.
    assert unchanged(g_before, generator_parts(model)) == []
    d_unchanged = unchanged(d_before, torch.nn.ModuleDict(model.discriminator_modules()))
    assert d_unchanged == ([] if disc_updated else list(d_before))
    outputs = head_outputs(model, batch_size)
    low_size = SIZE // low_stride
    assert outputs['low'].shape == (batch_size, NUM_CLASSES, low_size, low_size)
    assert outputs['high'].shape == (batch_size, NUM_CLASSES, SIZE, SIZE)
    if 'mid' in outputs:
        assert outputs['mid'].shape == (batch_size, NUM_CLASSES, SIZE // 4, SIZE // 4)


# ------------------------------------------------------------------------------------ loading


def test_every_top_level_config_is_tested():
    untested = set(TOP_LEVEL_CONFIGS) - set(VARIANTS) - set(FAMILIES) - set(DATASET_CONFIGS)
    assert not untested, f'add {sorted(untested)} to VARIANTS or FAMILIES in {__file__}'


@pytest.mark.parametrize('name', TOP_LEVEL_CONFIGS)
def test_config_loads_as_an_mman_training_config(load_config, name):
    cfg = load_config(name)
    assert cfg.default_scope == 'mmseg'
    assert cfg.custom_imports == dict(imports=['mmseg_mman'], allow_failed_imports=False)
    assert cfg.model_wrapper_cfg.type == 'MMSeparateDistributedDataParallel'
    assert cfg.model.type == 'AdversarialEncoderDecoder'
    assert cfg.model.decode_head.type == 'MMANHead'
    # The model follows the dataset base: classes, left/right pairs, crop size.
    assert cfg.model.decode_head.num_classes == cfg.num_classes
    # set explicitly (None: no left/right classes), never left to a default
    assert 'flip_pairs' in cfg.model.test_cfg and cfg.model.test_cfg.flip_pairs == cfg.flip_pairs
    assert cfg.model.data_preprocessor.size == cfg.crop_size
    # LowResIoUMetric scores the low-resolution map the segmentor computes only when asked.
    if 'LowResIoUMetric' in [m['type'] for m in cfg.val_evaluator]:
        assert cfg.model.test_cfg.low_res_prediction is True
    for disc_cfg in (cfg.model.discriminators or {}).values():
        assert disc_cfg.inputs == dict(type='LabelMapInput')
    # Epoch-based: the epoch length comes from the dataset, checkpoints at epoch ends.
    assert cfg.train_cfg.type == 'EpochBasedTrainLoop'
    assert cfg.train_dataloader.sampler.type == 'DefaultSampler'
    assert cfg.default_hooks.checkpoint.type == 'SafeCheckpointHook'
    assert (cfg.default_hooks.checkpoint.by_epoch, cfg.default_hooks.checkpoint.interval) == (True, 1)
    # One lr schedule per optimizer, keyed like the optim wrapper.
    wrappers = set(cfg.optim_wrapper) - {'constructor'}
    assert set(cfg.param_scheduler) == wrappers
    assert wrappers == ({'generator', 'discriminator'} if cfg.model.discriminators else {'generator'})


@pytest.mark.parametrize('name', sorted(DATASET_CONFIGS))
def test_dataset_config_follows_its_dataset_and_schedule(load_config, name):
    train_type, test_type, num_classes, epochs, drop_epoch = DATASET_CONFIGS[name]
    cfg = load_config(name)
    assert cfg.train_dataloader.dataset.type == train_type
    assert cfg.test_dataloader.dataset.type == test_type
    assert cfg.model.decode_head.num_classes == num_classes
    assert cfg.model.backbone.depth == 101
    assert cfg.train_cfg.max_epochs == epochs
    for (scheduler, ) in cfg.param_scheduler.values():
        assert (scheduler.by_epoch, scheduler.convert_to_iter_based) == (True, True)
        assert (list(scheduler.milestones), scheduler.end) == ([drop_epoch], epochs)


def test_lip_to_ppss_merges_lip_predictions_into_ppss_classes(load_config):
    cfg = load_config('mman_r101-d16_1xb1-30e_lip-to-ppss-256x256.py')
    merge = cfg.test_evaluator[0]
    assert merge.type == 'LabelMergeIoUMetric' and merge.partial_mean_exclude == ['Shoes']
    assert sorted(i for group in merge.merge_groups for i in group) == list(range(20))


@pytest.mark.parametrize('name', [n for n in TOP_LEVEL_CONFIGS if n.endswith('_lip-256x256.py')])
def test_lip_config_uses_lip(load_config, name):
    cfg = load_config(name)
    assert (cfg.train_dataloader.dataset.type, cfg.train_dataloader.dataset.data_root) == \
        ('CheckedLIPDataset', 'data/LIP')
    assert cfg.model.decode_head.num_classes == NUM_CLASSES
    assert cfg.model.test_cfg.flip_pairs == [(14, 15), (16, 17), (18, 19)]
    assert cfg.crop_size == (256, 256)
    assert cfg.train_cfg.max_epochs == 30


# ------------------------------------------------------------------------------ the paper's recipe


def test_paper_recipe_matches_section_4_2(load_config):
    cfg = load_config(LIP_R101)
    model = cfg.model
    assert model.pretrained == 'open-mmlab://resnet101_v1c'
    assert (model.backbone.type, model.backbone.depth) == ('ResNetV1c', 101)
    # Output stride 16: layer4 dilated instead of strided; frozen BN statistics at batch size 1.
    assert tuple(model.backbone.strides) == (1, 2, 2, 1)
    assert tuple(model.backbone.dilations) == (1, 1, 1, 2)
    assert model.backbone.norm_eval is True
    head = model.decode_head
    assert (head.loss_low.loss_weight, head.loss_decode.loss_weight) == (25.0, 100.0)
    assert tuple(head.aspp_dilations) == (1, 2, 4, 6)
    assert model.gan_loss.loss_type == 'vanilla'
    assert model.discriminators.macro.type == 'MacroDiscriminator'
    assert model.discriminators.micro.type == 'MicroDiscriminator'
    for key in ('generator', 'discriminator'):
        optimizer = cfg.optim_wrapper[key].optimizer
        assert (optimizer.type, optimizer.lr, tuple(optimizer.betas), optimizer.weight_decay) == \
            ('Adam', 2e-4, (0.9, 0.999), 1e-4)
    assert cfg.model.data_preprocessor.bgr_to_rgb is True


def test_official_preset_keeps_the_macro_gradient(load_config):
    cfg = load_config('mman-official_r101-d16_1xb1-30e_lip-256x256.py')
    model = cfg.model
    assert model.gan_loss.loss_type == 'lsgan'
    assert (model.decode_head.loss_decode.loss_weight, model.decode_head.loss_low.loss_weight) == \
        (250.0, 50.0)
    assert (model.decode_head.decoder_dropout_ratio, model.decode_head.dropout_ratio) == (0.0, 0.0)
    assert model.disc_update_prob == 0.1
    assert model.discriminators.macro.grad_to_generator is True
    assert [d.loss_weight for d in model.discriminators.values()] == [1.0, 1.0]
    for key in ('generator', 'discriminator'):
        assert tuple(cfg.optim_wrapper[key].optimizer.betas) == (0.5, 0.999)


def test_single_an_discriminator_sees_the_whole_crop(load_config):
    cfg = load_config('single-an_r101-d16_1xb1-30e_lip-256x256.py')
    disc_cfg = {
        k: v
        for k, v in cfg.model.discriminators.single.items() if k not in ('inputs', 'output', 'loss_weight')
    }
    disc = MODELS.build(dict(disc_cfg, in_channels=3 + NUM_CLASSES))
    assert disc.receptive_field >= max(cfg.crop_size)
    scores = disc(torch.zeros(1, 3 + NUM_CLASSES, *cfg.crop_size))
    assert scores.shape == (1, 1, 1, 1)


# ---------------------------------------------------------------------------------- schedules


@DATASETS.register_module(name='ScheduleTestItems', force=True)
class _Items(BaseDataset):
    """A dataset of `num_items` empty samples: all the runner needs for the epoch length."""

    def __init__(self, num_items: int, **kwargs):
        self.num_items = num_items
        super().__init__(serialize_data=False, **kwargs)

    def load_data_list(self):
        return [dict(index=i) for i in range(self.num_items)]


def built_schedule(name: str, num_items: int, batch_size: int, tmp_path) -> tuple:
    """The train loop and lr schedulers the runner builds from config `name` for a training set of
    `num_items` images, a shrunk model (through the config's own optimizer constructor)."""
    cfg = Config.fromfile(str(CONFIG_DIR / name))
    shrunk = copy.deepcopy(cfg)
    build_for_test(shrunk)  # shrinks shrunk.model in place
    cfg.model = shrunk.model
    cfg.train_dataloader = dict(
        batch_size=batch_size,
        num_workers=0,
        persistent_workers=False,
        sampler=cfg.train_dataloader.sampler,
        collate_fn=dict(type='default_collate'),
        dataset=dict(type='ScheduleTestItems', num_items=num_items))
    for key in ('val_dataloader', 'val_cfg', 'val_evaluator', 'test_dataloader', 'test_cfg',
                'test_evaluator'):
        cfg.pop(key, None)
    cfg.work_dir = str(tmp_path)
    cfg.default_hooks.pop('visualization', None)
    runner = Runner.from_cfg(cfg)
    loop = runner.train_loop  # builds the train dataloader
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    return loop, runner.build_param_scheduler(cfg.param_scheduler)


@pytest.mark.parametrize('name, epochs, drop_epoch', [
    (LIP_R101, 30, 15),
    ('mman_r101-d16_1xb1-50e_pascal-person-part-256x256.py', 50, 25),
])
@pytest.mark.parametrize('num_items, batch_size', [(7, 1), (7, 2)])
def test_runner_builds_the_papers_epochs_for_any_dataset_size(name, epochs, drop_epoch, num_items, batch_size,
                                                              tmp_path):
    """The lr drops after `drop_epoch` epochs of the dataset at hand, for both optimizers (one
    scheduler list per wrapper of the OptimWrapperDict), stepped per iteration."""
    loop, schedulers = built_schedule(name, num_items, batch_size, tmp_path)
    iters_per_epoch = -(-num_items // batch_size)
    assert (loop.max_epochs, loop.max_iters) == (epochs, epochs * iters_per_epoch)
    assert set(schedulers) == {'generator', 'discriminator'}
    for (scheduler, ) in schedulers.values():
        assert isinstance(scheduler, MultiStepLR) and scheduler.by_epoch is False
        assert dict(scheduler.milestones) == {drop_epoch * iters_per_epoch: 1}
        assert (scheduler.begin, scheduler.end, scheduler.gamma) == (0, epochs * iters_per_epoch, 0.1)


def test_lr_drops_tenfold_at_the_milestone(tmp_path):
    _, schedulers = built_schedule(LIP_R101, num_items=4, batch_size=1, tmp_path=tmp_path)
    (scheduler, ) = schedulers['discriminator']
    optimizer = scheduler.optimizer
    lrs = []
    for _ in range(30 * 4):
        lrs.append(optimizer.param_groups[0]['lr'])
        scheduler.step()
    assert lrs[15 * 4 - 1] == pytest.approx(2e-4) and lrs[15 * 4] == pytest.approx(2e-5)
    assert lrs[-1] == pytest.approx(2e-5)


def test_front_door_is_the_lip_r101_config(load_config):
    front_door = Config.fromfile(str(FRONT_DOOR))
    assert front_door.to_dict() == load_config(LIP_R101).to_dict()


# ------------------------------------------------------------------------------ one training step


@pytest.mark.parametrize('name', list(VARIANTS))
def test_variant_trains_one_step_from_its_config(load_config, name):
    check_train_step(load_config(name), VARIANTS[name], low_stride=16)


@pytest.mark.parametrize('name', list(FAMILIES))
def test_backbone_family_trains_one_step_from_its_config(load_config, name):
    cfg = load_config(name)
    check_train_step(cfg, dict(macro='low', micro='high'), low_stride=FAMILIES[name], batch_size=1)


@pytest.mark.parametrize('name', list(FAMILIES))
def test_backbone_stages_match_the_head(load_config, name):
    """The head holds the selected stages finest first, with their channels and measured strides, and
    up-samples from the finest exactly to the input."""
    cfg = load_config(name)
    model = build_for_test(cfg)
    head = model.decode_head
    with torch.no_grad():
        feats = model.extract_feat(torch.zeros(1, 3, SIZE, SIZE))
    selected = [feats[i] for i in head.in_index]
    assert [f.shape[1] for f in selected] == list(head.in_channels)
    strides = [SIZE // f.shape[-1] for f in selected]
    assert strides == sorted(strides) == list(head.feature_strides)
    assert strides[0] // 2**len(head.final_upsamples) == 1


def test_config_without_discriminators_rejects_a_discriminator_optimizer(load_config):
    cfg = load_config('do-aspp_r101-d16_1xb1-30e_lip-256x256.py')
    model = build_for_test(cfg)
    assert len(model.discriminators) == 0
    with pytest.raises(ValueError, match='optim_wrapper.discriminator'):
        build_optim_wrapper(model, load_config(LIP_R101).optim_wrapper)
    assert isinstance(build_optim_wrapper(model, cfg.optim_wrapper), OptimWrapperDict)
