"""Static matplotlib figures of the NTM, grouped by what they show.

* :mod:`~ntm_core.viz.style`: colours, conventions and drawing primitives
* :mod:`~ntm_core.viz.weightings`: weightings, memories, the addressing stages
* :mod:`~ntm_core.viz.architecture`: the block diagram of Figure 1
* :mod:`~ntm_core.viz.dataflow`: one time step's data flow, each box with its equation
* :mod:`~ntm_core.viz.sequences`: inputs, targets and outputs of the tasks
* :mod:`~ntm_core.viz.attention`: what a trained NTM's heads did (from a trace)
* :mod:`~ntm_core.viz.bands`: the band of slots in use, which those figures show by default
* :mod:`~ntm_core.viz.curves`: learning curves, generalisation, sweeps

Import the module you need (``from ntm_core.viz import weightings``); this
package imports none of them, so it costs nothing to import.
"""
