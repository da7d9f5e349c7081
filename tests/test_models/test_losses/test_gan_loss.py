import pytest
import torch
import torch.nn.functional as F

from mmseg_mman.models.losses import GANLoss

SCORES = torch.tensor([[-1.0, 0.5], [2.0, 0.0]])


def test_vanilla_is_the_log_loss_of_eq3():
    loss = GANLoss('vanilla')
    p = SCORES.sigmoid()
    torch.testing.assert_close(loss(SCORES, True, True), -p.log().mean())
    torch.testing.assert_close(loss(SCORES, False, True), -(1 - p).log().mean())
    torch.testing.assert_close(loss(SCORES, True, False), -p.log().mean())
    torch.testing.assert_close(loss.score(SCORES), p.mean())


def test_lsgan_and_hinge():
    torch.testing.assert_close(GANLoss('lsgan')(SCORES, True, True), F.mse_loss(SCORES, torch.ones(2, 2)))
    torch.testing.assert_close(GANLoss('lsgan')(SCORES, False, True), (SCORES**2).mean())
    hinge = GANLoss('hinge')
    torch.testing.assert_close(hinge(SCORES, True, True), F.relu(1 - SCORES).mean())
    torch.testing.assert_close(hinge(SCORES, False, True), F.relu(1 + SCORES).mean())
    torch.testing.assert_close(hinge(SCORES, True, False), -SCORES.mean())


def test_unknown_type_is_rejected():
    with pytest.raises(ValueError, match="'wgan'"):
        GANLoss('wgan')
