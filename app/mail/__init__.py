"""E-mail: every message is recorded (``mail_messages``) and sent by the background worker.

``services.queue_message`` records a message under a dedupe key (the same key twice sends
nothing twice) and, once the caller's transaction commits, puts its sending on the RQ queue
that ``flask worker`` serves (with retries; the failed-job registry keeps the messages that
could not be sent). Without ``MAIL_HOST`` the message is written to the log instead. The
packages that send mail on a schedule register a producer (``due.register``) that
``flask notify send-due`` runs. This package knows nothing of the domains: it sits low, beside
the jobs, and the digest that reads across the domains sits at the top.
"""
