"""Run newsclean inside the data pipelines people already use.

* `newsclean.integrations.datatrove.NewscleanStep`: a datatrove `PipelineStep`;
* `newsclean.integrations.huggingface.clean_dataset` / `BatchCleaner`: a
  `datasets.Dataset.map(batched=True, num_proc=N)` function.

Each module imports its framework when it is imported itself, never from
`import newsclean`; install them with `pip install 'newsclean[integrations]'`.
"""

from __future__ import annotations
