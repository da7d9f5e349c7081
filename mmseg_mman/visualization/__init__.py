from .contiguous_local_visualizer import ContiguousSegLocalVisualizer

__all__ = ['ContiguousSegLocalVisualizer']
