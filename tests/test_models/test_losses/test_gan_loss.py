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


def test_minimax_generator_loss_is_log_one_minus_d_and_its_gradient_vanishes_where_d_is_sure():
    minimax, non_saturating = GANLoss('vanilla', 'minimax'), GANLoss('vanilla')
    p = SCORES.sigmoid()
    torch.testing.assert_close(minimax(SCORES, True, False), (1 - p).log().mean())
    torch.testing.assert_close(minimax(SCORES, False, True), non_saturating(SCORES, False,
                                                                            True))  # D unchanged
    sure_fake = torch.tensor([-8.0], requires_grad=True)
    grads = []
    for loss in (minimax, non_saturating):
        sure_fake.grad = None
        loss(sure_fake, True, False).backward()
        grads.append(float(sure_fake.grad))
    assert grads[0] < 0 and grads[1] < 0  # both push the score towards "real" (gradient descent)
    assert abs(grads[0]) < 1e-3 < abs(grads[1])  # the minimax form saturates, the default does not


@pytest.mark.parametrize('kwargs, match', [
    (dict(generator_loss='wasserstein'), "'wasserstein'"),
    (dict(loss_type='lsgan', generator_loss='minimax'), "loss_type='lsgan'"),
])
def test_bad_generator_loss_is_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GANLoss(**kwargs)
