"""Interactive explorers of the NTM's equations and of a trained NTM (ipywidgets).

Build one and it shows itself when it is the value of a notebook cell (or
``display(explorer)``)::

    from ntm_core.widgets.memory_explorer import ReadWriteExplorer
    ReadWriteExplorer()

* :mod:`~ntm_core.widgets.base`: the frame every explorer shares
* :mod:`~ntm_core.widgets.memory_explorer`: read, erase and add (eq. 2-4)
* :mod:`~ntm_core.widgets.addressing_explorers`: eq. 5-9, stage by stage and together
* :mod:`~ntm_core.widgets.inspector`: a trained NTM on a copy sequence, step by step
* :mod:`~ntm_core.widgets.patterns`: copy sequences from typed rows of bits

This package imports none of them (ipywidgets is only needed by what you use).
"""
