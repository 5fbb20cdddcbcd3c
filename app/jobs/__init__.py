"""Long work outside the request: large imports and large documents run as jobs.

A job is a row of ``jobs`` (who asked, for which project, its state and progress, its result)
and, when ``REDIS_URL`` is set, an entry on the RQ queue that ``flask worker`` takes it from.
Without a queue the job runs in the process that asked for it, at once, through the same
function. The packages that own the work register what a kind of job does
(``services.register``), so this package imports none of them.
"""
