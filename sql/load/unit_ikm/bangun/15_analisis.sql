-- Statistics for the planner (a correction touches ten units, the first national load
-- millions, and autovacuum has not seen tonight's rows yet), and memory to sort them in.
analyze nib_terdampak;
analyze core.baris_unit_ikm;
set local work_mem = '256MB'
