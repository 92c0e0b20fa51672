-- The queued units are rebuilt: empty the queue (the rebuild holds the kind's load lock, so
-- no load added to it meanwhile).
delete from core.antrean_dim_unit_ikm
