"""Synthetic data generators for demos, benchmarks and tests (no download needed).

* :mod:`.lip`: stick-figure people with pixel-exact labels of the 20 LIP classes, in the LIP layout
  (``tools/misc/make_synthetic_lip.py``);
* :mod:`.domains`: a two-domain segmentation task (same layouts, shifted colours) for domain
  adaptation (``tools/misc/make_synthetic_domains.py``);
* :mod:`.weak`: objects with a small discriminative head and a large, weakly discriminative body, with
  image-level tags, for weak supervision (SeeNet; ``tools/misc/make_synthetic_weak.py``).

Not imported by ``mmseg_mman/__init__.py``: nothing here registers a component.
"""
from .domains import domain_gap_summary, generate_synthetic_domains
from .lip import LIPLabel, colorize_lip_label, generate_sample, generate_synthetic_lip
from .weak import generate_synthetic_weak, weak_samples

__all__ = [
    'generate_synthetic_lip', 'generate_sample', 'colorize_lip_label', 'LIPLabel',
    'generate_synthetic_domains', 'domain_gap_summary', 'generate_synthetic_weak', 'weak_samples'
]
