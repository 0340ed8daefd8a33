"""The wire: one client for the Batch Call API, its transport, error tree, models and settings.

:mod:`~batchcall.api.client` speaks the resources; :mod:`~batchcall.api.transport`
owns the key, retries and deadlines; :mod:`~batchcall.api.errors` draws the error
tree; :mod:`~batchcall.api.models` and :mod:`~batchcall.api.batches` type the
answers; :mod:`~batchcall.api.settings` says which workspace to talk to.
"""
