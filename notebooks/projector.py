# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# **A trained NTM copying a sequence.** Move *time step t* and watch the write head store one vector per slot, then the read head fetch them back in order; pick the head, the length or a new seed below.
#
# <!-- The projector page: `voila notebooks/projector.ipynb` shows only this caption and the inspector, sized for one 1400 x 900 screen. Notebook 06 explains what it shows. -->

# %%
# Set-up: where the course's package is missing (Colab, a fresh kernel), install
# it; where it is installed, this does nothing. The course sets the source once
# with `python tools/stamp_course.py`.
NTM_COURSE_SOURCE = "git+https://github.com/YOUR-COURSE/ntm-notebooks@main"
import importlib, importlib.util, subprocess, sys

if importlib.util.find_spec("ntm_core") is None:
    if "YOUR-COURSE" in NTM_COURSE_SOURCE:
        raise RuntimeError("This notebook needs the ntm_core package: install the course as its README says, "
                           "or ask your lecturer to set the course's source (tools/stamp_course.py).")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", NTM_COURSE_SOURCE], check=True)
    importlib.invalidate_caches()

# %% tags=["parameters"]
QUICK = False
LENGTH = 12
SEED = 0

# %%
import os

QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")

# %%
import ntm_core
from ntm_core.widgets.inspector import AttentionInspector

model, _ = ntm_core.load_pretrained("copy_ntm")
# A figure 7 inches tall: with the controls, the page fits one 1400 x 900 screen.
AttentionInspector(model, length=LENGTH, seed=SEED, max_length=40, figsize=(13.0, 7.0))
