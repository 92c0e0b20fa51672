"""Operations, apart from the data path: running the platform on this machine and around it.

- :mod:`.make_run`: ``make run``, every arrival day through ``airflow dags test``;
- :mod:`.airflow_env`, :mod:`.airflow_services`, :mod:`.processes`: Airflow on this machine
  (``make airflow``; the tests start it the same way);
- :mod:`.superset`: ``make bi``, Superset with the dashboard on the warehouse;
- :mod:`.data_dictionary`: the marts' data dictionary, written from the database's comments;
- :mod:`.alerts`: failure and lateness alerts, called by the DAGs' callbacks.

The stages and the flow never import them.
"""
