"""Bottlenecks (issue 17): staff workload and the what-if replay of a bundle's stages."""
