"""IATI 2.03: a project or a programme written as an ``iati-activities`` file, and activity
files of versions 2.01 to 2.03 read into projects with their results framework.

It reads across domains (projects, frameworks, the indicator figures of ``monitoring``) and
writes through its own audited service; it sits beside ``reports`` and imports nothing of it.
"""
