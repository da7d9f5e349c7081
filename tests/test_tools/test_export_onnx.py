"""tools/deployment/export_onnx.py and ONNX inference on a tiny randomly initialised MMAN."""
import json

import numpy as np
import pytest
import torch
import torch.nn as nn
from conftest import tool_cli, write_tiny_parser
from PIL import Image

from mmseg_mman.apis import ONNXSegmentor, compare_onnx_with_pytorch, init_parser, load_config

onnx = pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')

LOGIT_TOLERANCE = 1e-4  # max |onnxruntime - PyTorch| on logits of order 1


@pytest.fixture(scope='module')
def exported(synthetic_lip, tmp_path_factory):
    directory = tmp_path_factory.mktemp('onnx')
    config, checkpoint = write_tiny_parser(str(directory), synthetic_lip)
    onnx_file = str(directory / 'tiny_mman.onnx')
    status = tool_cli('deployment/export_onnx.py')(
        [config, checkpoint, '--out', onnx_file, '--shape', '64', '48'])
    assert status == 0
    return config, checkpoint, onnx_file


def test_exported_file_has_dynamic_input_output_and_class_metadata(exported):
    _, _, onnx_file = exported
    model = onnx.load(onnx_file)
    [graph_input], [graph_output] = model.graph.input, model.graph.output
    assert graph_input.name == 'input' and graph_output.name == 'seg_logits'
    dims = [d.dim_param or d.dim_value for d in graph_input.type.tensor_type.shape.dim]
    assert dims == ['batch', 3, 'height', 'width']
    metadata = {p.key: p.value for p in model.metadata_props}
    assert metadata['mmseg_mman.num_classes'] == '20'
    assert json.loads(metadata['mmseg_mman.classes'])[14] == 'Left-arm'
    names = [initializer.name for initializer in model.graph.initializer]
    # head weights keep their names in the file, and the unused ones are gone
    assert 'segmentor.decode_head.conv_seg.weight' in names
    assert not any('discriminators' in name or 'low_aspp' in name for name in names)


def test_onnxruntime_matches_pytorch_on_three_sizes(exported):
    config, checkpoint, onnx_file = exported
    model = init_parser(config, checkpoint)
    reports = compare_onnx_with_pytorch(model, onnx_file, [(64, 48), (37, 29), (82, 70)])
    assert [r['size'] for r in reports] == [(64, 48), (37, 29), (82, 70)]
    for report in reports:
        assert report['max_abs_logit'] > 0.5  # a real comparison, not of near-zero logits
        assert report['max_abs_diff'] < LOGIT_TOLERANCE
        assert report['argmax_agreement'] == 1.0


def test_tool_fails_when_outputs_differ_beyond_the_tolerance(exported, tmp_path, capsys):
    config, checkpoint, _ = exported
    status = tool_cli('deployment/export_onnx.py')([
        config, checkpoint, '--out',
        str(tmp_path / 'm.onnx'), '--shape', '32', '32', '--atol', '-1', '--rtol', '0'
    ])
    assert status == 1
    assert 'FAILED' in capsys.readouterr().out


def test_infer_runs_the_onnx_file_like_the_checkpoint(exported, synthetic_lip, tmp_path):
    config, checkpoint, onnx_file = exported
    infer = tool_cli('infer.py')
    image = f'{synthetic_lip}/val_images/synth_val_000002.jpg'
    assert infer([config, checkpoint, image, '--out-dir', str(tmp_path / 'torch')]) == 0
    assert infer([config, onnx_file, image, '--out-dir', str(tmp_path / 'onnx')]) == 0
    from_torch = Image.open(tmp_path / 'torch' / 'synth_val_000002.png')
    from_onnx = Image.open(tmp_path / 'onnx' / 'synth_val_000002.png')
    assert from_onnx.getpalette() == from_torch.getpalette()
    assert np.array_equal(np.array(from_onnx), np.array(from_torch))


def export_plain(module: nn.Module, path: str, input_name: str = 'input', **props: str) -> str:
    torch.onnx.export(
        module, (torch.zeros(1, 3, 8, 8), ),
        path,
        dynamo=False,
        input_names=[input_name],
        output_names=['seg_logits'],
        dynamic_axes={input_name: {
            2: 'h',
            3: 'w'
        }})
    if props:
        model = onnx.load(path)
        onnx.helper.set_model_props(model, props)
        onnx.save(model, path)
    return path


def test_onnx_file_of_another_model_is_refused(exported, tmp_path):
    config, _, _ = exported
    cfg = load_config(config)
    wrong_input = export_plain(nn.Conv2d(3, 20, 1), str(tmp_path / 'a.onnx'), input_name='image')
    with pytest.raises(ValueError, match=r"a\.onnx is not a parser exported by .*found inputs \[\('image'"):
        ONNXSegmentor(wrong_input, cfg)
    seven_classes = export_plain(
        nn.Conv2d(3, 7, 1), str(tmp_path / 'b.onnx'), **{'mmseg_mman.num_classes': '7'})
    with pytest.raises(ValueError, match=r'b\.onnx predicts 7 classes but .* has num_classes=20'):
        ONNXSegmentor(seven_classes, cfg)
    no_metadata = export_plain(nn.Conv2d(3, 7, 1), str(tmp_path / 'c.onnx'))
    segmentor = ONNXSegmentor(no_metadata, cfg)
    with pytest.raises(
            ValueError, match=r'c\.onnx returned seg_logits of shape \(1, 7, 16, 16\).*'
            r'num_classes=20'):
        segmentor.encode_decode(torch.zeros(1, 3, 16, 16))
