"""mmseg's ``SegLocalVisualizer`` for images of any memory layout."""
import numpy as np
from mmengine.structures import PixelData
from mmseg.registry import VISUALIZERS
from mmseg.visualization import SegLocalVisualizer


@VISUALIZERS.register_module()
class ContiguousSegLocalVisualizer(SegLocalVisualizer):
    """``SegLocalVisualizer`` that draws label maps on strided images too.

    mmseg 1.2.2 draws the class names with ``cv2.rectangle`` on a mask made by
    ``np.zeros_like(image)``, which keeps the image's memory layout. mmseg's own
    ``browse_dataset.py`` passes a permuted (H, W, 3) view of the (3, H, W) input tensor, which
    OpenCV >= 4.8 rejects ("Layout of the output array img is incompatible with cv::Mat",
    mmsegmentation issue #3405). The image is copied into C order first; the drawing is
    mmseg's. Arguments and outputs are those of ``SegLocalVisualizer``.
    """

    def _draw_sem_seg(self, image: np.ndarray, sem_seg: PixelData, *args, **kwargs) -> np.ndarray:
        return super()._draw_sem_seg(np.ascontiguousarray(image), sem_seg, *args, **kwargs)
