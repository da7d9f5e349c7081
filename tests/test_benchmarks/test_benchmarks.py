"""mmseg_mman.benchmarks (CLIs in tools/benchmarks): statistics, timing schedule, peak-memory probe,
tables, and tiny dry runs of the three
scripts (no timing assertions: they are benchmarks, not timed tests)."""
import json
import os
import os.path as osp

import numpy as np
import pytest
from conftest import MMAN_DISCRIMINATORS, tiny_model_cfg
from mmseg.registry import MODELS

from mmseg_mman.benchmarks import common, inference_cost, quality, train_cost
from mmseg_mman.benchmarks.experiments import experiment_config, markdown_table

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

ALLOCATED_MIB = 64


def allocate_setup(mib: int):
    """A memory-probe setup whose work holds ``mib`` MiB of touched memory."""

    def work():
        block = np.ones(mib * 2**20 // 8)
        return float(block.sum())

    return work


# ------------------------------------------------------------------------------- statistics, tables


def test_summarize_gives_median_quartiles_and_extremes():
    summary = common.summarize([5.0, 1.0, 4.0, 2.0, 3.0])
    assert summary == dict(median=3.0, q1=2.0, q3=4.0, min=1.0, max=5.0, n=5)
    assert common.format_summary(summary, digits=1) == '3.0 [2.0, 4.0]'
    with pytest.raises(ValueError, match='no values'):
        common.summarize([])


def test_paired_ratios_divide_by_the_reference_of_the_same_repetition():
    ratios = common.paired_ratios({'base': [1.0, 2.0], 'gan': [1.5, 2.2]}, 'base')
    assert ratios['base'] == [1.0, 1.0]
    assert ratios['gan'] == pytest.approx([1.5, 1.1])
    with pytest.raises(KeyError, match="'ce'"):
        common.paired_ratios({'base': [1.0]}, 'ce')


def test_ratio_of_minima_compares_the_fastest_repetitions():
    ratios = common.ratio_of_minima({'base': [2.0, 1.0, 3.0], 'gan': [1.5, 1.2, 9.0]}, 'base')
    assert ratios == dict(base=1.0, gan=pytest.approx(1.2))
    with pytest.raises(KeyError, match="'ce'"):
        common.ratio_of_minima({'base': [1.0]}, 'ce')


def test_interleaved_timing_warms_up_then_rotates_the_order():
    calls = []
    steps = {name: (lambda name=name: calls.append(name)) for name in 'abc'}
    times = common.interleaved_timing(steps, 'cpu', warmup=1, reps=3, calls_per_rep=2)
    assert calls[:3] == ['a', 'b', 'c']  # warm-up
    assert calls[3:] == [
        'a', 'a', 'b', 'b', 'c', 'c', 'b', 'b', 'c', 'c', 'a', 'a', 'c', 'c', 'a', 'a', 'b', 'b'
    ]
    assert {name: len(values) for name, values in times.items()} == dict(a=3, b=3, c=3)
    with pytest.raises(ValueError, match='reps >= 1'):
        common.interleaved_timing(steps, 'cpu', warmup=0, reps=0, calls_per_rep=1)


def test_markdown_table_pads_columns_and_checks_row_lengths():
    text = markdown_table(['model', 'mIoU'], [['MMAN', '46.81'], ['baseline', '44.7']])
    assert text.splitlines() == [
        '| model    | mIoU  |',
        '|----------|-------|',
        '| MMAN     | 46.81 |',
        '| baseline | 44.7  |',
    ]
    with pytest.raises(ValueError, match='every row needs 2 cells'):
        markdown_table(['model', 'mIoU'], [['MMAN']])


def test_parameter_counts_split_generator_and_each_discriminator():
    model = MODELS.build(tiny_model_cfg(MMAN_DISCRIMINATORS))
    counts = common.parameter_counts(model)
    assert set(counts) == {'G', 'D.macro', 'D.micro'}
    for name in ('macro', 'micro'):
        assert counts[f'D.{name}'] == sum(p.numel() for p in model.discriminators[name].parameters())
    assert counts['G'] == sum(p.numel() for n, p in model.named_parameters() if not n.startswith('discrim'))
    formatted = common.format_parameter_counts(counts)
    assert formatted['D'].startswith('macro ') and ' + micro ' in formatted['D']
    assert common.format_parameter_counts({'G': 2_500_000}) == dict(G='2.50M', D='-')


def test_peak_memory_probe_measures_the_work_in_a_fresh_process():
    memory = common.peak_memory_in_fresh_process(allocate_setup, (ALLOCATED_MIB, ), 'cpu')
    assert ALLOCATED_MIB * 0.9 <= memory['peak_rss_delta_mib'] <= ALLOCATED_MIB * 2
    assert memory['peak_rss_mib'] == pytest.approx(memory['rss_before_mib'] + memory['peak_rss_delta_mib'])


def test_machine_info_names_the_cpu_and_the_load():
    info = common.machine_info('cpu')
    assert info['cpu'] and info['cpu_count'] >= 1 and len(info['load_average']) == 3
    assert 'load average' in common.format_machine(info)


# --------------------------------------------------------------------------------- the three scripts


def test_train_cost_dry_run_reports_every_model(tmp_path):
    out = str(tmp_path / 'train_cost.json')
    report = train_cost.main([
        '--size', '32', '--batch-size', '1', '--warmup', '0', '--reps', '2', '--iters-per-rep', '1',
        '--no-memory', '--out', out
    ])
    assert json.load(
        open(out))['models'].keys() == report['models'].keys() == {'baseline (CE only)', 'MMAN', 'Single AN'}
    models = report['models']
    assert models['baseline (CE only)']['ratio_to_baseline'] == [1.0, 1.0]
    assert all(len(row['s_per_iter']) == 2 and min(row['s_per_iter']) > 0 for row in models.values())
    assert set(models['MMAN']['params']) == {'G', 'D.macro', 'D.micro'}
    assert set(models['Single AN']['params']) == {'G', 'D.single'}
    assert models['MMAN']['params']['G'] == models['baseline (CE only)']['params']['G']


def test_train_cost_defaults_to_the_paper_model_on_cuda():
    args = train_cost.parse_args(['--device', 'cuda'])
    assert (args.preset, args.size, args.batch_size) == ('r101', 256, 1)
    assert args.configs['MMAN'] == 'configs/mman_r101_lip.py'


def test_inference_cost_dry_run_times_whole_and_tta(tmp_path, capsys):
    out = str(tmp_path / 'inference_cost.json')
    report = inference_cost.main([
        '--num-images', '1', '--img-size', '48', '--warmup', '0', '--reps', '1', '--no-memory', '--out', out
    ])
    assert set(json.load(open(out))['models']) == {
        f'{model}, {mode}'
        for model in ('MMAN', 'ASPPHead (EncoderDecoder)')
        for mode in ('whole', 'tta')
    }
    models = report['models']
    assert models['ASPPHead (EncoderDecoder), tta']['time_ratio_to_aspp'] == [1.0]
    assert models['MMAN, whole']['images_per_s'][0] > 0
    assert set(models['MMAN, tta']['params']) == {'G', 'D.macro', 'D.micro'}
    assert 'TTA = scales 0.8 / 1 / 1.2 x flip' in capsys.readouterr().out


def test_quality_table_gives_seed_spread_and_differences_to_the_baseline():

    def run(miou, seed):
        return dict(seed=seed, mIoU=miou, mIoU_low=50.0, IPR=3.0, train_s=120.0, test_s=1.0)

    results = {
        'synthetic': {
            'baseline (CE only)': [run(40.0, 0), run(42.0, 1)],
            'MMAN': [run(43.0, 0), run(45.0, 1)]
        }
    }
    lines = quality.table(results).splitlines()
    assert lines[2].split('|')[3].strip() == '41.00 ± 1.41'
    mman = [cell.strip() for cell in lines[3].split('|')[1:-1]]
    assert mman[:6] == ['synthetic', 'MMAN', '44.00 ± 1.41', '50.00 ± 0.00', '3.00 ± 0.00', '+3.00']
    assert mman[-2:] == ['2.0', '46.81 / 56.95 / 2.47']


def test_quality_needs_the_ccp_root_for_ccp():
    with pytest.raises(SystemExit):
        quality.parse_args(['ccp'])


def test_quality_converts_ccp_only_once(tmp_path, monkeypatch):
    commands = []
    monkeypatch.setattr(quality.ccp_converter, 'main', commands.append)
    quality.ensure_ccp('/data/clothing-co-parsing', str(tmp_path))
    assert commands == [['/data/clothing-co-parsing', '-o', str(tmp_path)]]
    for split in ('train', 'val'):
        (tmp_path / f'{split}.txt').write_text('0001\n')
    quality.ensure_ccp('/data/clothing-co-parsing', str(tmp_path))
    assert len(commands) == 1


def test_quality_dry_run_trains_and_tests_each_variant(synthetic_lip, tmp_path):
    out = str(tmp_path / 'quality.json')
    report = quality.main([
        'synthetic', '--synthetic-root', synthetic_lip, '--work-dir',
        str(tmp_path), '--iters', '2', '--variants', 'baseline (CE only)', 'MMAN', '--cfg-options',
        'train_dataloader.batch_size=2', '--out', out
    ])
    runs = json.load(open(out))['results']['synthetic']
    assert set(runs) == set(report['results']['synthetic']) == {'baseline (CE only)', 'MMAN'}
    for variant_runs in runs.values():
        assert [run['seed'] for run in variant_runs] == [0]
        assert {'mIoU', 'mIoU_low', 'IPR', 'train_s'} <= set(variant_runs[0])
    assert osp.isfile(
        osp.join(
            str(tmp_path), 'synthetic', 'seed0', 'mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64', 'iter_2.pth'))


def test_experiment_config_sets_data_schedule_and_seed(tmp_path):
    cfg = experiment_config(
        osp.join(REPO, 'configs', 'benchmarks', 'mman_r18-d16_1xb8-0.4k_ccp-64x64.py'),
        str(tmp_path),
        'ccp_mman',
        iters=7,
        seed=3,
        data_root='/data/ccp',
        cfg_options={'model.gan_loss.loss_type': 'lsgan'})
    assert {
        cfg[loader].dataset.data_root
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    } == {'/data/ccp'}
    assert (cfg.train_cfg.max_iters, cfg.default_hooks.checkpoint.interval, cfg.randomness.seed) == (7, 7, 3)
    assert cfg.model.gan_loss.loss_type == 'lsgan' and cfg.experiment_name == 'ccp_mman'
    assert cfg.model.decode_head.num_classes == 8 and cfg.train_dataloader.dataset.type == 'CCPDataset'


BENCHMARK_CONFIGS = {
    'aspp_r101-d16_1xb1-30e_lip-256x256.py': None,
    'aspp_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py': None,
    'do-aspp_r18-d16_1xb8-0.4k_ccp-64x64.py': set(),
    'mman-macro_r18-d16_1xb8-0.4k_ccp-64x64.py': {'macro'},
    'mman-macro_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py': {'macro'},
    'mman-micro_r18-d16_1xb8-0.4k_ccp-64x64.py': {'micro'},
    'mman-micro_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py': {'micro'},
    'mman_r18-d16_1xb8-0.4k_ccp-64x64.py': {'macro', 'micro'},
    'single-an_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py': {'single'},
}


def test_every_benchmark_config_is_listed():
    names = os.listdir(osp.join(REPO, 'configs', 'benchmarks'))
    assert set(BENCHMARK_CONFIGS) == {name for name in names if name.endswith('.py')}


@pytest.mark.parametrize('name', sorted(BENCHMARK_CONFIGS))
def test_benchmark_config_builds_its_variant(name):
    cfg = common.load_config(osp.join('configs', 'benchmarks', name))
    model = common.build_model(cfg, 'cpu')
    discriminators = BENCHMARK_CONFIGS[name]
    if discriminators is None:  # the plain mmseg reference: one head, one optimizer
        assert type(model).__name__ == 'EncoderDecoder' and cfg.optim_wrapper.type == 'OptimWrapper'
        assert type(model.decode_head).__name__ == 'ASPPHead'
    else:
        assert set(model.discriminators) == discriminators
        assert set(cfg.optim_wrapper) >= {'generator'} | ({'discriminator'} if discriminators else set())
    if 'ccp' in name:
        assert cfg.train_dataloader.dataset.type == cfg.test_dataloader.dataset.type == 'CCPDataset'
        assert model.num_classes == 8 and cfg.model.test_cfg.flip_pairs is None


def test_quality_encoding_variants_put_both_discriminators_on_the_encoding(tmp_path):
    config, overrides, slug = quality.variant_config('ccp', 'MMAN (scaling)')
    assert config == quality.CONFIGS['ccp']['MMAN'] and slug.endswith('_ScalingLabelMapInput')
    cfg = experiment_config(
        osp.join(REPO, config), str(tmp_path), 'x', iters=1, seed=0, cfg_options=overrides)
    assert {d.inputs.type for d in cfg.model.discriminators.values()} == {'ScalingLabelMapInput'}
    assert quality.variant_config('ccp', 'MMAN')[1] == {}
