-- The real number of versions, so that reading their attributes is a hash join for a
-- national load and index lookups for a correction.
analyze versi_ringkas
