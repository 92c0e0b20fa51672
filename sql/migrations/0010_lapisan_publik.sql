-- 0010: the public layer, what the ministry may publish (Satu Data Indonesia).
--
-- Schema publik holds views over the last disclosure-controlled snapshot of the IKM marts
-- (etl.stages.s5_publish.public_layer computes it in the marts' refresh transaction). Role
-- publik_reader reads schema publik and nothing else; like bi_reader it is created here
-- unable to log in, and etl.migrate gives it LOGIN and the password from
-- IKM_PUBLIK_READER_PASSWORD after every upgrade.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'publik_reader') then
        create role publik_reader nologin noinherit nocreatedb nocreaterole;
    end if;
exception
    when duplicate_object or unique_violation then null;
end
$$;

create schema publik;
revoke all on schema publik from public;

comment on schema publik is
    'Lapisan publik: agregat IKM dengan pengendalian pengungkapan statistik (SDC), untuk Satu '
    'Data Indonesia. / The public layer: IKM aggregates under statistical disclosure control.';

-- The published cells: the values as published (null where suppressed), never the values
-- behind a suppression. Rewritten whole, in the transaction that refreshes the marts.
create table core.sel_publik_ikm (
    tahun                      integer not null,
    tingkat                    text not null
        check (tingkat in ('nasional', 'provinsi', 'kabkota')),
    kode_wilayah               text not null,
    skala                      text not null check (skala in ('kecil', 'menengah', 'semua')),
    kode_provinsi              text,
    nama_provinsi              text,
    kode_kabkota               text,
    nama_kabkota               text,
    jumlah_unit                bigint not null,
    tenaga_kerja_laki          bigint,
    tenaga_kerja_perempuan     bigint,
    tenaga_kerja               bigint,
    nilai_investasi            numeric(20, 0),
    nilai_produksi             numeric(20, 0),
    unit_terdaftar_siinas      bigint,
    unit_bersertifikat_tkdn_ik bigint,
    unit_penjualan_online      bigint,
    alasan_penekanan           text check (alasan_penekanan in ('ambang', 'dominasi', 'sekunder')),
    edisi_referensi            text,
    primary key (tahun, tingkat, kode_wilayah, skala),
    check (
        alasan_penekanan is null
        or num_nonnulls(
            tenaga_kerja_laki, tenaga_kerja_perempuan, tenaga_kerja, nilai_investasi,
            nilai_produksi, unit_terdaftar_siinas, unit_bersertifikat_tkdn_ik,
            unit_penjualan_online
        ) = 0
    )
);

comment on table core.sel_publik_ikm is
    'Sel publik IKM sebagaimana diterbitkan (nilai kosong bila ditekan): ditulis ulang utuh '
    'setiap penyegaran mart. / The public IKM cells as published (null where suppressed), '
    'rewritten whole at every refresh of the marts.';

-- The rules of the snapshot in force (one row). When it was computed, and in how long, is the
-- refresh's bookkeeping (audit.penyegaran_mart), so that an unchanged re-run changes no table
-- of core.
create table core.aturan_penekanan (
    satu            boolean primary key default true check (satu),
    ambang_unit     integer not null,
    dominasi_unit   integer not null,
    dominasi_persen numeric(5, 2) not null
);

comment on table core.aturan_penekanan is
    'Aturan penekanan yang dipakai snapshot publik terakhir. / The suppression rules of the last '
    'public snapshot.';

alter table audit.penyegaran_mart add column detik_publik numeric(10, 3);

comment on column audit.penyegaran_mart.detik_publik is
    'Detik untuk menghitung lapisan publik dalam penyegaran ini. / Seconds spent computing the '
    'public layer in this refresh.';
