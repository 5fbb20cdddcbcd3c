"""Seed data for PVE Track.

``seed.documented`` reads the documented dataset: the organisations, events, recommendations,
follow-up actions, programmes and figures that the source documents in ``shared/seeds`` state,
each with the passage it rests on. It is plain Python so that the database loader, the tests
and any script can use it without the application.
"""
