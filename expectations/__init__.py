"""Upload contracts: the canonical columns of each export kind and their validation suites.

This package sits at the bottom of the dependency chain (dashboard → metrics → data →
expectations): it imports nothing from the other packages of the project.
"""
