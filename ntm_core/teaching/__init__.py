"""Teaching code for the notebooks: the exercise checks and the NumPy reference.

* :mod:`ntm_core.teaching.reference`: the one NumPy reference of eq. 2-9.
"""
