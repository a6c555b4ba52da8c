"""The checkpoints (``pretrained/``) and result files (``results/``) of ntm-notebooks.

Installed, this folder is the package ``ntm_core.data`` (pyproject.toml maps
it), so ``ntm_core.pretrained`` reads it through ``importlib.resources`` in a
wheel install and an editable one alike. Nothing to import here.
"""
