"""Teaching code for the notebooks: exercise checks, the NumPy reference, analyses.

=============================================  =====================================
module                                         what it holds
=============================================  =====================================
:mod:`~ntm_core.teaching.reference`            the one NumPy reference of eq. 2-9
:mod:`~ntm_core.teaching.checking`             how a check runs and reports; short answers
:mod:`~ntm_core.teaching.questions`            predict-then-run and multiple-choice questions
:mod:`~ntm_core.teaching.memory_checks`        the checks of notebook 02 (eq. 2-4)
:mod:`~ntm_core.teaching.addressing_checks`    the checks of notebook 03 (eq. 5-9)
:mod:`~ntm_core.teaching.cases`                how 03's checks run their cases (float32, hints)
:mod:`~ntm_core.teaching.hand_program`         03's "program the NTM by hand": runner and check
:mod:`~ntm_core.teaching.layer_checks`         the checks of notebook 04 (the heads)
:mod:`~ntm_core.teaching.demo_data`            small weightings and memories to draw
:mod:`~ntm_core.teaching.copy_attention`       what a copy NTM's heads did, in numbers and words
:mod:`~ntm_core.teaching.task_analysis`        notebook 08: baselines, error breakdowns, its checks
:mod:`~ntm_core.teaching.results`              where notebooks find results and write runs
=============================================  =====================================
"""
