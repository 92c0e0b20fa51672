-- One server, two databases: the warehouse and Airflow's metadata.
create database airflow;
