"""Imported by the pool's fork server: load the NLP resources there, once, before any worker forks.

Workers then start with jieba's dictionaries, OpenCC, the mojibake bigram model and the category model already
in memory, shared copy-on-write with the fork server, instead of each loading a private copy (about 200 MB a
worker). `gc.freeze` keeps the collector from touching, and so copying, those objects in every worker.
"""

import gc

from pipelines import parallel

parallel.warm_up()
gc.freeze()
