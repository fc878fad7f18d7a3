"""Reads behind the comparison page's evaluation section: which evaluation stands for
each chosen version, and the data of its charts (bars, per-label heatmap, metric by
version, parallel coordinates) and their CSV exports."""
