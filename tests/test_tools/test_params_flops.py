"""tools/analysis_tools/get_flops.py: counts checked by hand on the demo MMAN config."""
import os.path as osp

import pytest
from conftest import DEMO_CONFIG, tool_cli
from mmengine.config import Config
from mmseg.registry import MODELS

from mmseg_mman.apis import model_complexity


def count(module) -> int:
    return sum(p.numel() for p in module.parameters())


def conv_flops(in_channels: int, out_channels: int, out_size: int, kernel: int = 4) -> int:
    """Multiply-adds of a square convolution (bias not counted, as in mmengine.analysis)."""
    return out_size * out_size * out_channels * in_channels * kernel * kernel


def instance_norm_flops(channels: int, size: int) -> int:
    """mmengine.analysis: 4 per element for a norm without affine parameters."""
    return 4 * channels * size * size


@pytest.fixture(scope='module')
def demo():
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.model.pretrained = None
    return cfg, MODELS.build(cfg.model), {
        row['name'].split(' (')[0]: row
        for row in model_complexity(cfg, (64, 64))
    }


def test_discriminator_rows_equal_a_manual_count(demo):
    _, model, rows = demo
    assert rows['D macro']['params'] == count(model.discriminators['macro'])
    assert rows['D micro']['params'] == count(model.discriminators['micro'])
    # Macro D judges the 4x4 'low' map (64 / 16), Micro D the 64x64 'high' map; 3 + 20 channels.
    assert rows['D macro']['input_shape'] == (1, 23, 4, 4)
    assert rows['D micro']['input_shape'] == (1, 23, 64, 64)
    base = 32  # demo config: base_channels=32; 4x4 stride-2 convs halve the size
    assert rows['D micro']['flops'] == (
        conv_flops(23, base, 32) + conv_flops(base, 2 * base, 16) + instance_norm_flops(2 * base, 16) +
        conv_flops(2 * base, 1, 8))
    # Macro D first lifts its 4x4 input to 16x16 (bilinear: 4 per output element)
    assert rows['D macro']['flops'] == (4 * 23 * 16 * 16 + conv_flops(23, base, 8) +
                                        conv_flops(base, 2 * base, 4) + instance_norm_flops(2 * base, 4) +
                                        conv_flops(2 * base, 4 * base, 2) + instance_norm_flops(4 * base, 2) +
                                        conv_flops(4 * base, 1, 1))


def test_generator_and_inference_network_rows(demo):
    _, model, rows = demo
    generator = count(model.backbone) + count(model.decode_head)
    assert rows['G']['params'] == generator
    head = model.decode_head
    low_branch = count(head.low_aspp) + count(head.low_fuse)
    assert rows['inference']['params'] == generator - low_branch
    assert 0 < rows['inference']['flops'] < rows['G']['flops']


def test_tool_prints_the_table_and_the_paper_comparison(capsys):
    assert tool_cli(osp.join('analysis_tools', 'get_flops.py'))([DEMO_CONFIG, '--shape', '64', '64']) == 0
    out = capsys.readouterr().out
    assert 'D macro' in out and 'D micro' in out and 'inference' in out
    assert 'Discriminators together: 0.224M parameters (MMAN paper, Table 5: ~1.2M' in out


def test_domain_adaptation_discriminators_see_softmax_maps_at_the_input_size():
    cfg = Config.fromfile(
        osp.join(osp.dirname(DEMO_CONFIG), 'adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py'))
    num_classes = cfg.model.decode_head.num_classes
    rows = model_complexity(cfg, (32, 48))
    discriminators = [row for row in rows if row['name'].startswith('D ')]
    assert len(discriminators) == 2  # on the auxiliary and on the main output
    assert {row['input_shape'] for row in discriminators} == {(1, num_classes, 32, 48)}
