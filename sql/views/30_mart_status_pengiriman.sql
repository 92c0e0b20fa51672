-- Materialized: refreshed in one transaction with the other marts after every load
-- (etl.stages.s5_publish.marts). Lateness of offices that have sent nothing is judged as of the last refresh.
-- One row per kind × period × office: did each office send, and on time?
create materialized view mart.status_pengiriman as
with periode_diharapkan as (
    -- the periods expected of every office: those for which any office sent that kind and had
    -- it accepted (a rejected file with a mistyped period expects nothing of 552 offices)
    select distinct
        s.jenis,
        s.periode
    from audit.submission as s
    inner join core.jenis_pengiriman as j on s.jenis = j.jenis
    where core.awal_periode(s.periode) <= current_date
        and s.status_validasi in ('diterima', 'diterima_sebagian')
),

terakhir as (
    select distinct on (jenis, periode, kode_wilayah)
        jenis,
        periode,
        kode_wilayah,
        case when status = 'digantikan' then status_validasi else status end as status,
        tanggal_tiba,
        jumlah_baris_diterima,
        jumlah_baris_ditolak
    from audit.submission
    where status <> 'diproses'
    order by
        jenis, periode, kode_wilayah, tanggal_tiba desc, nama_berkas collate "C" desc,
        path collate "C" desc
),

kantor as (
    -- the offices of each expected period: the regions of the reference edition in force on
    -- the period's first day, named as it names them, and any other region that sent for it
    -- (a kab/kota created or dropped by a later edition); core.wilayah_per_edisi
    select
        p.jenis,
        p.periode,
        w.kode_wilayah,
        w.nama_wilayah,
        w.edisi_id
    from periode_diharapkan as p
    inner join core.wilayah_per_edisi as w
        on core.awal_periode(p.periode) <@ w.atribusi
    where
        core.awal_periode(p.periode) <@ w.edisi_berlaku
        or exists (
            select 1
            from terakhir as t
            where t.jenis = p.jenis and t.periode = p.periode and t.kode_wilayah = w.kode_wilayah
        )
)

select
    p.jenis,
    p.periode,
    k.kode_wilayah,
    k.nama_wilayah,
    coalesce(t.status, 'belum_dikirim') as status,
    coalesce(t.tanggal_tiba, current_date)
        > core.awal_periode(p.periode) + j.tenggat_setelah_awal_periode as terlambat,
    t.tanggal_tiba as tanggal_terakhir,
    coalesce(t.jumlah_baris_diterima, 0) as jumlah_baris_diterima,
    coalesce(t.jumlah_baris_ditolak, 0) as jumlah_baris_ditolak,
    k.edisi_id as edisi_referensi
from periode_diharapkan as p
inner join core.jenis_pengiriman as j on p.jenis = j.jenis
inner join kantor as k on p.jenis = k.jenis and p.periode = k.periode
left join terakhir as t
    on p.jenis = t.jenis and p.periode = t.periode and k.kode_wilayah = t.kode_wilayah;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index status_pengiriman_kunci on mart.status_pengiriman (jenis, periode, kode_wilayah);

comment on materialized view mart.status_pengiriman is
    'Status pengiriman per jenis, periode dan kantor; terlambat bila tiba (atau belum tiba hingga '
    'penyegaran terakhir) setelah tenggat jenisnya. / Submission status per kind, period and '
    'office; late when it arrived (or had still not arrived at the last refresh) after the '
    'kind''s deadline.';
comment on column mart.status_pengiriman.edisi_referensi is
    'Edisi referensi (mart.edisi_referensi) yang menentukan kantor yang diharapkan mengirim dan '
    'namanya: edisi yang berlaku pada awal periode (kantor di luar edisi itu yang tetap mengirim: '
    'edisi versi terdekatnya). / The reference edition that sets which offices are expected '
    'and their names: the one in force when the period began.';
comment on column mart.status_pengiriman.jenis is
    'Jenis kiriman: unit_ikm, tenaga_kerja, realisasi_program, peserta_program. / Submission kind.';
comment on column mart.status_pengiriman.periode is
    'Periode kiriman: YYYY atau YYYY-MM. / Period: YYYY or YYYY-MM.';
comment on column mart.status_pengiriman.kode_wilayah is
    'Kantor pengirim: 2 digit provinsi, 4 digit kab/kota. / Sending office: 2-digit province, 4-digit regency/city.';
comment on column mart.status_pengiriman.nama_wilayah is
    'Nama wilayah kantor. / Name of the office''s region.';
comment on column mart.status_pengiriman.status is
    'Status kiriman terakhir: diterima, diterima_sebagian, ditolak; belum_dikirim bila tidak ada. / Status of the latest submission; belum_dikirim when none arrived.';
comment on column mart.status_pengiriman.terlambat is
    'Tiba (atau belum tiba per penyegaran terakhir) setelah tenggat jenisnya. / Arrived (or still missing at the last refresh) after the kind''s deadline.';
comment on column mart.status_pengiriman.tanggal_terakhir is
    'Tanggal tiba kiriman terakhir. / Arrival date of the latest submission.';
comment on column mart.status_pengiriman.jumlah_baris_diterima is
    'Baris diterima dari kiriman terakhir. / Rows accepted from the latest submission.';
comment on column mart.status_pengiriman.jumlah_baris_ditolak is
    'Baris ditolak (karantina) dari kiriman terakhir. / Rows refused (quarantined) from the latest submission.';
