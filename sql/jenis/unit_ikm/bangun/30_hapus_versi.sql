-- Versions that the rebuilt history no longer has (or whose end or opening row moved) go.
delete from core.versi_unit_ikm as d
where d.nib in (select nib from nib_terdampak)
    and not exists (
        select 1
        from versi_ringkas as v
        where v.nib = d.nib
            and v.berlaku_mulai = d.berlaku_mulai
            and v.row_hash = d.row_hash
            and v.berlaku_sampai is not distinct from d.berlaku_sampai
            and v.submission_id = d.submission_id
            and v.baris = d.baris
    )
