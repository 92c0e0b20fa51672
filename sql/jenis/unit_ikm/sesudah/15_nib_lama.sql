-- ...and the units the submission held before its rows were replaced or withdrawn (those rows
-- are gone, so they are queued by NIB).
insert into core.antrean_dim_unit_ikm (nib)
select nib from nib_lama
on conflict do nothing
