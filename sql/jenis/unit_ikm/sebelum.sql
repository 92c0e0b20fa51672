-- Before the submission's kept rows go: its units, whose history may change with them.
create temp table nib_lama on commit drop as
select distinct nib
from core.baris_unit_ikm
where submission_id = %(submission_id)s
