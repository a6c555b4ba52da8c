"""What pyproject.toml cannot say: the list of packages.

Every package under ntm_core/ (found, so a new subpackage ships without an
edit here) plus ntm_core.data, which pyproject.toml's package-dir maps to the
repository's top-level data/. The rest of the configuration, dependencies
included, is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(packages=find_packages(include=["ntm_core", "ntm_core.*"]) + ["ntm_core.data"])
