-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- Reporting rates as DHIS2 gives them: for every kind and period, the submissions expected
-- (one per office of mart.status_pengiriman) against those received (accepted whole or in
-- part), on time and late against the kind's deadline (core.jenis_pengiriman, a setting:
-- IKM_TENGGAT_<JENIS>), per office, rolled up to its province and to the nation.
create materialized view mart.tingkat_pelaporan as
with kantor as (
    select
        s.jenis,
        s.periode,
        s.kode_wilayah,
        s.nama_wilayah,
        coalesce(w.kode_provinsi, left(s.kode_wilayah, 2)) as kode_provinsi,
        s.status in ('diterima', 'diterima_sebagian') as diterima,
        s.status,
        s.terlambat
    from mart.status_pengiriman as s
    left join core.wilayah_per_edisi as w
        on s.kode_wilayah = w.kode_wilayah and s.edisi_referensi = w.edisi_id
),

nama_provinsi as (
    -- a province is named as its own office is in that period's list
    select distinct on (jenis, periode, kode_provinsi)
        jenis,
        periode,
        kode_provinsi,
        nama_wilayah as nama_provinsi
    from kantor
    order by jenis, periode, kode_provinsi, length(kode_wilayah), kode_wilayah
),

hitung as (
    select
        jenis,
        periode,
        kode_provinsi,
        kode_wilayah,
        nama_wilayah,
        grouping(kode_provinsi, kode_wilayah) as tingkat_grouping,
        count(*) as laporan_diharapkan,
        count(*) filter (where diterima) as laporan_diterima,
        count(*) filter (where diterima and not terlambat) as laporan_tepat_waktu,
        count(*) filter (where diterima and terlambat) as laporan_terlambat,
        count(*) filter (where status = 'ditolak') as laporan_ditolak,
        count(*) filter (where status = 'belum_dikirim') as belum_dikirim
    from kantor
    group by grouping sets (
        (jenis, periode, kode_provinsi, kode_wilayah, nama_wilayah),
        (jenis, periode, kode_provinsi),
        (jenis, periode)
    )
)

select
    h.jenis,
    h.periode,
    case h.tingkat_grouping
        when 0 then 'kantor'
        when 1 then 'provinsi'
        else 'nasional'
    end as tingkat,
    case h.tingkat_grouping
        when 0 then h.kode_wilayah
        when 1 then h.kode_provinsi
        else '00'
    end as kode_wilayah,
    case h.tingkat_grouping
        when 0 then h.nama_wilayah
        when 1 then n.nama_provinsi
        else 'Indonesia'
    end as nama_wilayah,
    h.kode_provinsi,
    n.nama_provinsi,
    (core.awal_periode(h.periode) + j.tenggat_setelah_awal_periode)::date as tenggat,
    h.laporan_diharapkan,
    h.laporan_diterima,
    h.laporan_tepat_waktu,
    h.laporan_terlambat,
    h.laporan_ditolak,
    h.belum_dikirim,
    round(100.0 * h.laporan_diterima / h.laporan_diharapkan, 2) as persen_pelaporan,
    round(100.0 * h.laporan_tepat_waktu / h.laporan_diharapkan, 2) as persen_tepat_waktu
from hitung as h
inner join core.jenis_pengiriman as j on h.jenis = j.jenis
left join nama_provinsi as n
    on h.jenis = n.jenis and h.periode = n.periode and h.kode_provinsi = n.kode_provinsi;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index tingkat_pelaporan_kunci
on mart.tingkat_pelaporan (jenis, periode, tingkat, kode_wilayah);

comment on materialized view mart.tingkat_pelaporan is
    'Tingkat pelaporan (seperti DHIS2) per jenis dan periode: laporan diharapkan dan diterima, '
    'tepat waktu dan terlambat terhadap tenggat, per kantor, provinsi (kantor provinsi dan '
    'kab/kotanya) dan nasional. / Reporting rates (as DHIS2 gives them) per kind and period: '
    'expected and received submissions, on time and late against the deadline, per office, '
    'province (its own office and its regencies/cities) and nation.';
comment on column mart.tingkat_pelaporan.jenis is
    'Jenis kiriman. / Submission kind.';
comment on column mart.tingkat_pelaporan.periode is
    'Periode kiriman: YYYY atau YYYY-MM. / Period: YYYY or YYYY-MM.';
comment on column mart.tingkat_pelaporan.tingkat is
    'Tingkat agregasi: kantor, provinsi atau nasional. / Level: office, province or nation.';
comment on column mart.tingkat_pelaporan.kode_wilayah is
    'Kode kantor (tingkat kantor), kode provinsi (tingkat provinsi) atau 00 (nasional). / '
    'Office code, province code, or 00 for the nation.';
comment on column mart.tingkat_pelaporan.nama_wilayah is
    'Nama kantor, provinsi, atau Indonesia. / Name of the office, province, or Indonesia.';
comment on column mart.tingkat_pelaporan.kode_provinsi is
    'Provinsi kantor (kosong pada tingkat nasional). / Province of the office (empty for the nation).';
comment on column mart.tingkat_pelaporan.nama_provinsi is
    'Nama provinsi (kosong pada tingkat nasional). / Province name (empty for the nation).';
comment on column mart.tingkat_pelaporan.tenggat is
    'Tenggat jenis dan periode ini (pengaturan IKM_TENGGAT_<JENIS>; bawaan tahunan 31 Maret tahun '
    'berikutnya, bulanan tanggal 10 bulan berikutnya). / The deadline of this kind and period (a '
    'setting; default yearly kinds 31 March of the next year, monthly the 10th of the next month).';
comment on column mart.tingkat_pelaporan.laporan_diharapkan is
    'Laporan diharapkan: satu per kantor. / Expected submissions: one per office.';
comment on column mart.tingkat_pelaporan.laporan_diterima is
    'Laporan diterima (utuh atau sebagian). / Submissions received (accepted whole or in part).';
comment on column mart.tingkat_pelaporan.laporan_tepat_waktu is
    'Laporan diterima yang tiba paling lambat pada tenggat. / Received submissions that arrived by '
    'the deadline.';
comment on column mart.tingkat_pelaporan.laporan_terlambat is
    'Laporan diterima yang tiba setelah tenggat. / Received submissions that arrived after the deadline.';
comment on column mart.tingkat_pelaporan.laporan_ditolak is
    'Kantor yang kiriman terakhirnya ditolak seluruhnya. / Offices whose latest submission was '
    'rejected whole.';
comment on column mart.tingkat_pelaporan.belum_dikirim is
    'Kantor yang belum mengirim. / Offices that have sent nothing.';
comment on column mart.tingkat_pelaporan.persen_pelaporan is
    '100 x laporan_diterima / laporan_diharapkan, dua desimal (reporting rate). / Reporting '
    'rate, percent.';
comment on column mart.tingkat_pelaporan.persen_tepat_waktu is
    '100 x laporan_tepat_waktu / laporan_diharapkan, dua desimal (reporting rate on time). / '
    'Reporting rate on time, percent.';
