from typing import Optional


def require_in_channels(owner: str, in_channels: Optional[int]) -> int:
    """``in_channels`` of a discriminator, which configs leave unset for the segmentor to derive."""
    if in_channels is None:
        raise ValueError(
            f'{owner}: in_channels is not set. Build it through the adversarial segmentor, which derives '
            "it from the discriminator's inputs component, or pass it explicitly")
    return in_channels
