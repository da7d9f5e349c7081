"""The pure-torch ``mmcv.ops`` fallback used with mmcv-lite (no compiled ``mmcv._ext``)."""
import importlib.util
import math
import os
import os.path as osp
import subprocess
import sys
import textwrap

import pytest
import torch
import torch.nn.functional as F

import mmseg_mman  # noqa: F401  (installs the fallback before mmseg.models is imported)
from mmseg_mman.utils import mmcv_ops_fallback
from mmseg_mman.utils.mmcv_ops_fallback import install_mmcv_ops_fallback, point_sample, sigmoid_focal_loss

FALLBACK_FILE = mmcv_ops_fallback.__file__
HAS_COMPILED_MMCV = importlib.util.find_spec('mmcv._ext') is not None
needs_mmcv_lite = pytest.mark.skipif(HAS_COMPILED_MMCV, reason='the full mmcv is installed: no fallback')


def run_python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter, so this process's sys.modules stays as it is."""
    result = subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                            capture_output=True,
                            text=True,
                            env={
                                **os.environ, 'OMP_NUM_THREADS': '1'
                            },
                            cwd=osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    assert result.returncode == 0, result.stderr
    return result


@needs_mmcv_lite
def test_fallback_is_registered_as_mmcv_ops():
    import mmcv
    module = sys.modules['mmcv.ops']
    assert module.point_sample is point_sample
    assert module.sigmoid_focal_loss is sigmoid_focal_loss
    assert mmcv.ops is module
    assert importlib.util.find_spec('mmcv.ops') is module.__spec__
    assert module.__spec__.name == 'mmcv.ops'
    # Idempotent: a second call keeps the same module.
    assert install_mmcv_ops_fallback() is True
    assert sys.modules['mmcv.ops'] is module


@needs_mmcv_lite
def test_import_mmseg_models_in_fresh_interpreter():
    result = run_python("""
        import mmseg_mman
        import mmseg.models
        from mmseg.models.utils import point_sample as mmseg_point_sample_module
        from mmseg_mman.utils import mmcv_ops_fallback
        print(mmcv_ops_fallback.is_mmcv_ops_fallback_installed(),
              mmseg_point_sample_module.point_sample is mmcv_ops_fallback.point_sample)
    """)
    assert result.stdout.split() == ['True', 'True']


@needs_mmcv_lite
def test_unknown_op_raises_module_not_found_naming_extension():
    with pytest.raises(ModuleNotFoundError, match=r"mmcv\._ext") as error:
        from mmcv.ops import CrissCrossAttention  # noqa: F401
    assert error.value.name == 'mmcv._ext'
    assert 'CrissCrossAttention' in str(error.value)
    with pytest.raises(ModuleNotFoundError):
        import mmcv.ops.multi_scale_deform_attn  # noqa: F401
    # Dunder probes (copy, inspect, importlib) see an ordinary module.
    assert not hasattr(sys.modules['mmcv.ops'], '__path__')


@needs_mmcv_lite
def test_mmseg_guarded_imports_still_fall_back():
    from mmseg.models.decode_heads import cc_head, point_head, psa_head
    from mmseg.models.losses import focal_loss
    from mmseg.registry import MODELS
    assert cc_head.CrissCrossAttention is None
    assert psa_head.PSAMask is None
    assert point_head.point_sample is point_sample
    assert focal_loss._sigmoid_focal_loss is sigmoid_focal_loss
    with pytest.raises(RuntimeError, match='CrissCrossAttention'):
        MODELS.build(dict(type='CCHead', in_channels=8, channels=4, num_classes=3, recurrence=1))


def test_noop_with_compiled_extension_in_fresh_interpreter():
    # A fake ``mmcv._ext`` stands for the full mmcv. The module is loaded from its file so
    # that importing the mmseg_mman package does not install the fallback first.
    result = run_python(f"""
        import importlib.machinery, importlib.util, sys, types
        fake_ext = types.ModuleType('mmcv._ext')
        fake_ext.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', None)
        sys.modules['mmcv._ext'] = fake_ext
        spec = importlib.util.spec_from_file_location('fallback', {FALLBACK_FILE!r})
        fallback = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fallback)
        import mmcv
        print(fallback.install_mmcv_ops_fallback(),
              fallback.install_mmcv_ops_fallback(),
              'mmcv.ops' in sys.modules, 'ops' in vars(mmcv))
    """)
    assert result.stdout.split() == ['False', 'False', 'False', 'False']


def test_point_sample_matches_hand_computed_bilinear_values():
    feature = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # (1, 1, 2, 2)
    # (x, y) in [0, 1]: pixel centres are at 0.25 and 0.75; 0.5 is between all four.
    points = torch.tensor([[[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.5, 0.5], [0.5, 0.25]]])
    sampled = point_sample(feature, points)
    assert sampled.shape == (1, 1, 5)
    torch.testing.assert_close(sampled, torch.tensor([[[1.0, 2.0, 3.0, 2.5, 1.5]]]))


def test_point_sample_grid_equals_grid_sample_on_2p_minus_1():
    torch.manual_seed(0)
    feature = torch.randn(2, 3, 5, 7)
    grid_points = torch.rand(2, 4, 6, 2)
    expected = F.grid_sample(feature, 2 * grid_points - 1, align_corners=False)
    sampled = point_sample(feature, grid_points)
    assert sampled.shape == (2, 3, 4, 6)
    torch.testing.assert_close(sampled, expected)
    nearest = point_sample(feature, grid_points, align_corners=True, mode='nearest')
    torch.testing.assert_close(
        nearest, F.grid_sample(feature, 2 * grid_points - 1, align_corners=True, mode='nearest'))


def load_mmcv_point_sample_file():
    """mmcv's own ``ops/point_sample.py`` (mmcv-lite ships it; it imports only torch)."""
    mmcv_dir = importlib.util.find_spec('mmcv').submodule_search_locations[0]
    path = osp.join(mmcv_dir, 'ops', 'point_sample.py')
    if not osp.isfile(path):
        pytest.skip(f'{path} is not installed')
    spec = importlib.util.spec_from_file_location('mmcv_point_sample_reference', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_point_sample_matches_mmcv_implementation():
    reference = load_mmcv_point_sample_file()
    torch.manual_seed(0)
    feature = torch.randn(2, 3, 6, 5)
    points = torch.rand(2, 10, 2)
    torch.testing.assert_close(point_sample(feature, points), reference.point_sample(feature, points))
    torch.testing.assert_close(
        point_sample(feature, points, align_corners=True),
        reference.point_sample(feature, points, align_corners=True))


def test_sigmoid_focal_loss_hand_computed_and_reductions():
    logits = torch.zeros(2, 3)  # p = 0.5 everywhere
    target = torch.tensor([1, 3])  # sample 1 is background (target == num_classes)
    loss = sigmoid_focal_loss(logits, target, 2.0, 0.25, None, 'none')
    positive = 0.25 * 0.5**2 * math.log(2)  # -alpha (1-p)^gamma log p
    negative = 0.75 * 0.5**2 * math.log(2)  # -(1-alpha) p^gamma log(1-p)
    torch.testing.assert_close(loss,
                               torch.tensor([[negative, positive, negative], [negative, negative, negative]]))
    torch.testing.assert_close(sigmoid_focal_loss(logits, target, reduction='sum'), loss.sum())
    torch.testing.assert_close(sigmoid_focal_loss(logits, target), loss.sum() / 2)
    class_weight = torch.tensor([1.0, 2.0, 3.0])
    weighted = sigmoid_focal_loss(logits, torch.tensor([1, 2]), 2.0, 0.25, class_weight, 'none')
    unweighted = sigmoid_focal_loss(logits, torch.tensor([1, 2]), 2.0, 0.25, None, 'none')
    torch.testing.assert_close(weighted, unweighted * torch.tensor([[2.0], [3.0]]))


def test_sigmoid_focal_loss_matches_mmseg_python_version_and_has_gradients():
    from mmseg.models.losses.focal_loss import py_sigmoid_focal_loss
    torch.manual_seed(0)
    logits = torch.randn(6, 4, requires_grad=True)
    target = torch.tensor([0, 1, 2, 3, 4, 2])
    one_hot = F.one_hot(target, 5)[:, :4]
    loss = sigmoid_focal_loss(logits, target, 2.0, 0.3, None, 'none')
    expected = py_sigmoid_focal_loss(logits, one_hot, gamma=2.0, alpha=0.3, reduction='none')
    torch.testing.assert_close(loss, expected)
    loss.sum().backward()
    assert logits.grad is not None and torch.isfinite(logits.grad).all()


@pytest.mark.parametrize('logits, target, weight, reduction, message',
                         [(torch.zeros(2, 3, 1), torch.tensor([0, 1]), None, 'mean', 'shape'),
                          (torch.zeros(2, 3), torch.tensor([0.0, 1.0]), None, 'mean', 'int64'),
                          (torch.zeros(2, 3), torch.tensor([0, 1]), None, 'avg', 'reduction'),
                          (torch.zeros(2, 3), torch.tensor([0, 1]), torch.ones(2), 'mean', 'weight'),
                          (torch.zeros(2, 3), torch.tensor([0, 3]), torch.ones(3), 'mean', 'background')])
def test_sigmoid_focal_loss_rejects_bad_input(logits, target, weight, reduction, message):
    with pytest.raises(ValueError, match=message):
        sigmoid_focal_loss(logits, target, 2.0, 0.25, weight, reduction)
