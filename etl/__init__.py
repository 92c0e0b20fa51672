"""IKM data platform: landing → extract → validate → load → publish.

Every stage is a module with a function that Airflow tasks call and a sub-command of
``python -m etl`` so that one file can be debugged by hand, without a scheduler.
"""
