"""mmseg_mman.benchmarks.encoding_leak (tools/benchmarks/encoding_leak.py): the fake maps agree with the
labels, and a tiny dry run reports every encoding."""
import json

import numpy as np
import torch

from mmseg_mman.benchmarks import encoding_leak


def test_fake_logits_agree_with_the_labels_everywhere():
    labels = torch.randint(0, encoding_leak.NUM_CLASSES, (2, 16, 16))
    logits = encoding_leak.agreeing_logits(labels, (2.5, 6.0), torch.Generator().manual_seed(0))
    assert torch.equal(logits.argmax(1), labels)
    peak = logits.softmax(1).amax(1)
    assert 0.6 < float(peak.quantile(0.05)) and float(peak.quantile(0.95)) < 1.0  # a softmax, never one-hot


def test_people_batches_are_normalised_images_with_lip_labels():
    images, labels = encoding_leak.people_batch(np.random.default_rng(0), 2, 32)
    assert images.shape == (2, 3, 32, 32) and labels.shape == (2, 32, 32)
    assert labels.max() < encoding_leak.NUM_CLASSES and len(labels.unique()) > 3


def test_dry_run_reports_each_encoding(tmp_path, capsys):
    out = tmp_path / 'leak.json'
    encoding_leak.main([
        '--steps', '2', '--eval-batches', '1', '--size', '32', '--batch-size', '2', '--base-channels', '8',
        '--out',
        str(out)
    ])
    report = json.loads(out.read_text())
    assert set(report['results']) == set(encoding_leak.ENCODINGS)
    for runs in report['results'].values():
        assert 0.0 <= runs[0]['accuracy'] <= 1.0 and 0.0 < runs[0]['d_real'] < 1.0
    printed = capsys.readouterr().out
    assert all(f'{name} ({cls})' in printed for name, cls in encoding_leak.ENCODINGS.items())
