from nearest_centroid.adapter import NearestCentroidAdapter

__all__ = ["NearestCentroidAdapter"]
