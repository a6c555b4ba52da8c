"""The five algorithmic tasks of the Neural Turing Machine paper.

Graves, Wayne & Danihelka (2014), "Neural Turing Machines", arXiv 1410.5401,
section 4: copy (4.1), repeat copy (4.2), associative recall (4.3), dynamic
n-grams (4.4) and priority sort (4.5), one module each. :mod:`.base` holds
the :class:`Batch` format and the :class:`Task` interface they share,
:mod:`.registry` resolves a task name (:func:`get_task`), :mod:`.curriculum`
lengthens sequences as the error falls, and :mod:`.dataset` feeds batches to
``model.fit`` (the only module here that imports Keras).

The paper scores every task in bits per sequence: binary cross-entropy of the
sigmoid outputs over the scored steps (see :mod:`ntm_core.metrics`).
"""

from ntm_core.tasks.associative_recall import AssociativeRecallTask
from ntm_core.tasks.base import Batch, Task
from ntm_core.tasks.copy import CopyTask, copy_batch, copy_sequence
from ntm_core.tasks.curriculum import Curriculum
from ntm_core.tasks.dataset import TaskDataset
from ntm_core.tasks.ngrams import NGramTask, ngram_bayes_optimal, ngram_bayes_optimal_cost
from ntm_core.tasks.priority_sort import PrioritySortTask
from ntm_core.tasks.registry import TASKS, as_task, get_task, list_tasks
from ntm_core.tasks.repeat_copy import RepeatCopyTask

__all__ = [
    "Batch",
    "Task",
    "CopyTask",
    "RepeatCopyTask",
    "AssociativeRecallTask",
    "NGramTask",
    "PrioritySortTask",
    "TASKS",
    "as_task",
    "get_task",
    "list_tasks",
    "copy_batch",
    "copy_sequence",
    "ngram_bayes_optimal",
    "ngram_bayes_optimal_cost",
    "Curriculum",
    "TaskDataset",
]
