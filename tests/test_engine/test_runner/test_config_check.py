"""Config keys checked when a tool starts: --cfg-options typos and hook / loop arguments."""
import pytest
from conftest import DEMO_CONFIG, run_tool
from mmengine.config import Config

from mmseg_mman.engine import ConfigKeyError, check_component_arguments, checked_cfg_options


@pytest.fixture
def cfg():
    return Config.fromfile(DEMO_CONFIG)


@pytest.mark.parametrize('key, message', [
    ('randomnes.seed', "the config has no key 'randomnes' (did you mean 'randomness'?)"),
    ('model.decode_head.num_clases',
     "model.decode_head has no key 'num_clases' (did you mean 'num_classes'?)"),
    ('default_hooks.checkpoint.intervl',
     "default_hooks.checkpoint has no key 'intervl' (did you mean 'interval'?)"),
    ('custom_hooks.0.check_load_fro', "(did you mean 'check_load_from'?)"),
    ('custom_hooks.5.type', 'custom_hooks has 1 items, no item 5'),
])
def test_a_key_the_config_does_not_have_is_refused_with_a_suggestion(cfg, key, message):
    with pytest.raises(ConfigKeyError) as error:
        checked_cfg_options(cfg, {key: 1})
    assert message in str(error.value) and str(error.value).startswith(f'--cfg-options {key}: ')


@pytest.mark.parametrize(
    'key',
    [
        'randomness.seed',  # in the config
        'model.decode_head.align_corners',  # an argument of MMANHead's base class, left at its default
        'default_hooks.checkpoint.save_best',  # an argument of SafeCheckpointHook, not in the config
        'custom_hooks.0.check_load_from',
        'model.test_cfg.flip_pairs.0',  # below a value that is replaced whole
    ])
def test_existing_keys_and_arguments_of_the_configured_type_pass(cfg, key):
    assert checked_cfg_options(cfg, {key: 1}) == {key: 1}


def test_a_plus_adds_a_new_key_on_purpose(cfg):
    options = checked_cfg_options(cfg, {'+my_note': 'x', '+randomness.diff_rank_seed': True})
    cfg.merge_from_dict(options)
    assert cfg.my_note == 'x' and cfg.randomness.diff_rank_seed is True


@pytest.mark.parametrize('key, message', [
    ('default_hooks.logger.intervl', "LoggerHook takes no argument 'intervl' (did you mean 'interval'?)"),
    ('default_hooks.checkpoint.intervl', "SafeCheckpointHook takes no argument 'intervl'"),
    ('train_cfg.max_iter', "IterBasedTrainLoop takes no argument 'max_iter' (did you mean 'max_iters'"),
])
def test_hook_and_loop_arguments_are_checked(cfg, key, message):
    check_component_arguments(cfg)  # the config as written passes
    cfg.merge_from_dict({key: 1})
    with pytest.raises(
            ConfigKeyError, match=message.replace('(', r'\(').replace(')', r'\)').replace('?', r'\?')):
        check_component_arguments(cfg)


@pytest.mark.parametrize('option, message', [
    ('randomnes.seed=5', "randomnes' (did you mean 'randomness'?)"),
    ('default_hooks.checkpoint.intervl=1', "(did you mean 'interval'?)"),
])
def test_train_tool_stops_before_training_on_a_misspelt_option(tmp_path, option, message):
    proc = run_tool('train.py', DEMO_CONFIG, '--work-dir', str(tmp_path), '--cfg-options', option)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith('tools/train.py: error: --cfg-options ')
    assert message in proc.stderr and 'Traceback' not in proc.stderr
    assert not any(p.suffix == '.pth' for p in tmp_path.rglob('*'))
