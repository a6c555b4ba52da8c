"""The tasks by name: one place resolves a name (``"copy"``, ...) to a task."""

from __future__ import annotations

from ntm_core.tasks.associative_recall import AssociativeRecallTask
from ntm_core.tasks.base import Task
from ntm_core.tasks.copy import CopyTask
from ntm_core.tasks.ngrams import NGramTask
from ntm_core.tasks.priority_sort import PrioritySortTask
from ntm_core.tasks.repeat_copy import RepeatCopyTask
from ntm_core.validation import check_choice, describe

TASKS: dict[str, type[Task]] = {
    cls.name: cls
    for cls in (CopyTask, RepeatCopyTask, AssociativeRecallTask, NGramTask,
                PrioritySortTask)
}


def list_tasks() -> list[str]:
    """Names of the paper's tasks, in the paper's order."""
    return list(TASKS)


def get_task(name: str, **kwargs) -> Task:
    """Build a task by name (``"copy"``, ``"repeat_copy"``, ...); ``kwargs`` go to its constructor."""
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a task name (a string), got {describe(name)}.")
    return TASKS[check_choice("name", name, TASKS)](**kwargs)


def as_task(task, task_kwargs=None) -> Task:
    """A :class:`Task` from a task name (built with ``task_kwargs``) or a Task itself."""
    if isinstance(task, Task):
        return task
    if isinstance(task, str):
        return get_task(task, **(task_kwargs or {}))
    raise TypeError(f"`task` must be a task name or a Task, got {describe(task)}.")
