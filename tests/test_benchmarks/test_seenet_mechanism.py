import json

import pytest

from mmseg_mman.benchmarks import seenet_mechanism


def rows(cam, seenet, sa, leak):
    return {
        'cam': {
            'coverage@0.3': cam,
            'leak@0.3': 30.0
        },
        'seenet': {
            'coverage@0.3': seenet,
            'leak@0.3': leak
        },
        'seenet S_A': {
            'coverage@0.3': sa,
            'leak@0.3': 20.0
        },
    }


def test_summary_checks_the_three_bars():
    good = seenet_mechanism.summarize({
        0: rows(40, 55, 45, 50),
        1: rows(50, 58, 50, 55),
        2: rows(30, 50, 31, 40)
    })
    assert good['median_coverage'] == {'cam': 40, 'seenet': 55, 'seenet S_A': 45}
    assert good['median_coverage_gain'] == 15 and good['coverage_gain_ok']
    assert good['sa_at_least_cam_every_seed'] and good['leak_ok']
    bad = seenet_mechanism.summarize({0: rows(40, 45, 39, 70)})
    assert not bad['coverage_gain_ok'] and not bad['sa_at_least_cam_every_seed'] and not bad['leak_ok']


def test_end_to_end_on_a_tiny_run(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(seenet_mechanism.DATA_ROOT_VARIABLE, raising=False)
    out = tmp_path / 'result.json'
    result = seenet_mechanism.main([
        '--seeds', '0', '--iters', '2', '--num-train', '8', '--data-root',
        str(tmp_path / 'data'), '--work-dir',
        str(tmp_path / 'work'), '--out',
        str(out)
    ])
    assert set(result['per_seed'][0]) == {'cam', 'seenet', 'seenet S_A'}
    for metrics in result['per_seed'][0].values():
        assert 0 <= metrics['coverage@0.3'] <= 100
    assert json.loads(out.read_text())['iters'] == 2
    assert '| seed | variant' in capsys.readouterr().out


def test_data_written_otherwise_is_refused_naming_what_differs(tmp_path):
    from mmseg_mman.synthetic.weak import generate_synthetic_weak
    root = str(tmp_path / 'data')
    seenet_mechanism.ensure_data(root, num_train=8, seed=0)  # writes it
    seenet_mechanism.ensure_data(root, num_train=8, seed=0)  # reuses it
    generate_synthetic_weak(root, num_train=8, num_val=1, img_size=64, seed=0, overwrite=True, max_objects=1)
    with pytest.raises(ValueError, match=r'data.* holds other synthetic data .*max_objects=1 instead of 2'):
        seenet_mechanism.ensure_data(root, num_train=8, seed=0)
    (tmp_path / 'data' / 'generator.json').unlink()
    with pytest.raises(ValueError, match='no generator.json: written by an older generator'):
        seenet_mechanism.ensure_data(root, num_train=8, seed=0)


def _state_dict(path):
    import torch
    return torch.load(path, map_location='cpu', weights_only=False)['state_dict']


@pytest.mark.parametrize('pairing', ['init', 'none'])
def test_paired_runs_train_identically_through_the_warmup(tmp_path, monkeypatch, pairing):
    # Both runs stay inside SeeNet's S_A-only warm-up (300 iterations): paired, SeeNet's backbone and S_A
    # must end exactly where the CAM's do; unpaired, their weights were drawn differently.
    monkeypatch.delenv(seenet_mechanism.DATA_ROOT_VARIABLE, raising=False)
    work = tmp_path / 'work'
    seenet_mechanism.main([
        '--seeds', '1', '--iters', '3', '--num-train', '8', '--data-root',
        str(tmp_path / 'data'), '--work-dir',
        str(work), '--pairing', pairing
    ])
    cam, seenet = (_state_dict(work / f'{name}_seed1' / 'iter_3.pth') for name in ('cam', 'seenet'))
    assert set(cam) < set(seenet) and any(key.startswith('decode_head.branch_b') for key in seenet)
    identical = all(cam[key].equal(seenet[key]) for key in cam)
    assert identical == (pairing == 'init')
