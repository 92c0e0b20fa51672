-- The queued units are rebuilt: empty both queues (the rebuild holds the kind's load lock, so
-- no load added to them meanwhile).
delete from core.antrean_dim_unit_ikm;
delete from core.antrean_cakupan_unit_ikm
