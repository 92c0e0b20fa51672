"""The five stages of the flow, numbered in the order a file goes through them.

``s1_landing`` → ``s2_extract`` → ``s3_validate`` → ``s4_load`` → ``s5_publish``. A stage never
imports another stage (``tests/unit/test_layout.py`` checks): stages meet in the warehouse
(:mod:`etl.warehouse`: the submission record, staged Parquet and staging tables, the scopes'
owners) and are put in order by :mod:`etl.flow` alone.
"""
