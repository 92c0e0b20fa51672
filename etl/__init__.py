"""IKM data platform: landing → extract → validate → load → publish.

The package reads as the flow, top to bottom:

- :mod:`etl.settings` and :mod:`etl.contract`: what every part agrees on (the settings; the
  kinds, columns and rules of the contract with the regions);
- :mod:`etl.warehouse`: the storage the stages meet in (connection, migrations, reference
  lists, the submission record, staging, the scopes' owners, the day's lock);
- :mod:`etl.stages`: the five stages, ``s1_landing`` … ``s5_publish``, each unaware of the
  others;
- :mod:`etl.flow` (and :mod:`etl.reprocess`): the order of the stages, written once, which the
  DAGs, ``python -m etl run-day`` and ``make bench`` all call;
- apart: :mod:`etl.ops` (running it: ``make run``, Airflow and Superset here, alerts, the data
  dictionary) and :mod:`etl.generators` (sample and national data).

Every stage has a sub-command of ``python -m etl`` so that one file can be debugged by hand,
without a scheduler. Importing ``etl`` never imports Airflow.
"""
