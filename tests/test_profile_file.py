"""Rules any region can bring: a profile given as a TOML path, checked with `profiles --check`, and rule
text (LATE_REPORT, the JP ranges) that follows the profile rather than one regulation."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.profiles import ProfileError, load_profile
from pipeline.summarise import jp_bins
from tests.helpers import A, coaching_row, folders, rekap, sheet_rows, submission

__all__ = ["folders"]

ROOT = Path(__file__).resolve().parent.parent


def example_profile(folder: Path) -> Path:
    """The worked example of docs/profil.md, exactly as the document shows it."""
    text = (ROOT / "docs" / "profil.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block is not None
    path = folder / "profil_kabupaten_contoh.toml"
    path.write_text(block.group(1), encoding="utf-8")
    return path


def test_the_documented_example_checks_and_prints_its_conversion_table(tmp_path, capsys):
    path = example_profile(tmp_path)
    assert cli.main(["profiles", "--check", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "Profil kabupaten-contoh-2026: Kabupaten Contoh 2026 (versi 2026.1)",
        "Dasar: Peraturan Bupati Contoh Nomor 7 Tahun 2026 tentang Pedoman Coaching dan Mentoring",
        "Target setahun: 20 JP. Batas pelaporan: 2 bulan setelah kegiatan.",
    ]
    rows = {line.split("|")[0].strip(): [c.strip() for c in line.split("|")] for line in lines[5:]}
    assert rows["Coaching"] == [
        "Coaching",
        "non klasikal",
        "Coaching",
        "sesi",
        "3 JP/sesi",
        "3 JP/sesi",
        "2 sesi/bulan",
    ]
    assert rows["Pelatihan Teknis"][4:6] == ["JP program", "JP program x 1,2"]


def test_a_run_with_a_profile_file_uses_its_rules_and_records_its_path(folders, tmp_path):
    inp, out = folders
    path = example_profile(tmp_path)
    rows = [coaching_row(dt.date(2025, 3, 3)), coaching_row(dt.date(2025, 3, 10))]
    submission(inp, "uji.xlsx", coaching=rows, submitted=dt.date(2025, 5, 4))
    result = rekap(inp, out, profile=str(path))
    people = {r["NIP"]: r for r in sheet_rows(out / "rekap_2025.xlsx", "Rekap Pegawai")}
    assert people[A]["JP Coaching"] == 6  # 3 JP a session under this Perbup
    late = result.report[result.report["Kode"].eq("LATE_REPORT")]
    assert late["Pesan"].tolist() == [
        "Diserahkan 04/05/2025: 1 sesi di sheet Coaching (3 Maret 2025) dilaporkan lebih dari 2 bulan setelah "
        "kegiatan, melewati batas pedoman (2 bulan). Sesi-sesi itu tetap dihitung."
    ]
    manifest = json.loads((out / "manifest_2025.json").read_text(encoding="utf-8"))
    assert manifest["profile"]["id"] == "kabupaten-contoh-2026"
    assert manifest["profile"]["path"] == str(path.resolve())


def test_exactly_two_months_late_is_not_late(folders, tmp_path):
    inp, out = folders
    submission(inp, "uji.xlsx", coaching=[coaching_row(dt.date(2025, 3, 3))], submitted=dt.date(2025, 5, 3))
    result = rekap(inp, out, profile=str(example_profile(tmp_path)))
    assert not result.report["Kode"].eq("LATE_REPORT").any()


def test_late_report_names_the_shipped_profiles_month(folders):
    inp, out = folders
    submission(inp, "uji.xlsx", coaching=[coaching_row(dt.date(2025, 3, 3))], submitted=dt.date(2025, 4, 4))
    late = rekap(inp, out).report.query("Kode == 'LATE_REPORT'")
    assert late["Pesan"].tolist() == [
        "Diserahkan 04/04/2025: 1 sesi di sheet Coaching (3 Maret 2025) dilaporkan lebih dari 1 bulan setelah "
        "kegiatan, melewati batas pedoman (1 bulan). Sesi-sesi itu tetap dihitung."
    ]
    assert late["Saran Perbaikan"].tolist() == [
        "Tidak perlu mengubah berkas ini; laporkan sesi berikutnya dalam batas waktu pedoman (tertulis di sheet "
        "Petunjuk pada template)."
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('kartu_column = "Sosialisasi"', 'kartu_column = "Coaching"'),
         "profil_kabupaten_contoh.toml [activities.seminar]: kartu_column 'Coaching' bukan kolom kelompok "
         "klasikal (Pelatihan, Sosialisasi, Workshop, Klasikal Lainnya)."),
        (("max_per_month = 2\naliases = [\"coaching\"]", "aliases = [\"coaching\"]"),
         "profil_kabupaten_contoh.toml: kegiatan 'coaching' harus punya max_per_month."),
        (('unit = "hari"', 'unit = "jam"'),
         "profil_kabupaten_contoh.toml [activities.seminar]: unit 'jam' tidak dikenal "
         "(hari, kegiatan, program, semester, sesi)."),
        # issue 25: every number finite and a number, the key named, exit 2 (nan gave every session 0 JP)
        (("jp_national = 3", "jp_national = nan"),
         "profil_kabupaten_contoh.toml [activities.coaching]: 'jp_national' harus berupa angka biasa, bukan nan."),
        (("jp_national = 3", "jp_national = inf"),
         "profil_kabupaten_contoh.toml [activities.coaching]: 'jp_national' harus berupa angka biasa, bukan inf."),
        (("jp_national = 3", 'jp_national = "3"'),
         "profil_kabupaten_contoh.toml [activities.coaching]: 'jp_national' harus berupa angka."),
        (("yearly_target_jp = 20", 'yearly_target_jp = "20"'),
         "profil_kabupaten_contoh.toml: 'yearly_target_jp' harus berupa angka."),
        (("yearly_target_jp = 20", "yearly_target_jp = nan"),
         "profil_kabupaten_contoh.toml: 'yearly_target_jp' harus berupa angka biasa, bukan nan."),
        (("JPT = 15", 'JPT = "lima belas"'),
         "profil_kabupaten_contoh.toml ip_asn.indicator_20jp: 'JPT' harus berupa angka."),
        (("report_deadline_months = 2", 'report_deadline_months = "satu"'),
         "profil_kabupaten_contoh.toml: 'report_deadline_months' harus berupa angka."),
        (("report_deadline_months = 2", "report_deadline_months = 1.5"),
         "profil_kabupaten_contoh.toml: 'report_deadline_months' harus bilangan bulat (1.5)."),
    ],
)  # fmt: skip
def test_a_broken_profile_file_is_one_indonesian_sentence(tmp_path, capsys, edit, message):
    path = example_profile(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    assert cli.main(["profiles", "--check", str(path)]) == 2
    assert capsys.readouterr().err == f"Kesalahan penggunaan: {message}\n"


def test_an_unknown_profile_name_points_to_files_too():
    with pytest.raises(ProfileError, match=re.escape("atau berikan path berkas profil .toml")):
        load_profile("kabupaten-lain")
    with pytest.raises(ProfileError, match=re.escape("Berkas profil 'tidak/ada.toml' tidak ada.")):
        load_profile("tidak/ada.toml")


def test_jp_ranges_follow_the_yearly_target():
    assert [label for *_, label in jp_bins(20)] == ["0 JP", "1-9 JP", "10-19 JP", "20-39 JP", ">= 40 JP"]
    assert [label for *_, label in jp_bins(30)] == ["0 JP", "1-14 JP", "15-29 JP", "30-59 JP", ">= 60 JP"]
    low, high = jp_bins(20)[3][:2]
    assert low <= 20 < high and not high > 40  # exactly 20 JP is "20-39", exactly 40 is ">= 40"


def test_stage_contracts_reject_what_later_stages_could_not_read(folders):
    """The frames crossing a stage are checked where they cross it; a bug upstream stops the run there."""
    import pandera.errors

    from pipeline.discover import discover
    from pipeline.normalise import collect
    from pipeline.run import RunConfig, read_inputs
    from schemas import ACTIVITIES_SCHEMA, FINDINGS_SCHEMA

    inp, _ = folders
    submission(inp, "uji.xlsx", coaching=[coaching_row(dt.date(2025, 3, 3))])
    acts = collect(read_inputs(discover(inp), RunConfig(input=inp, output=inp / "x"))).activities
    ACTIVITIES_SCHEMA.validate(acts)
    with pytest.raises(pandera.errors.SchemaError, match="kind"):
        ACTIVITIES_SCHEMA.validate(acts.assign(kind="coachng"))
    with pytest.raises(pandera.errors.SchemaError, match="tanggal"):
        ACTIVITIES_SCHEMA.validate(acts.assign(tanggal=acts["tanggal"].astype(str)))
    finding = {
        "uid": 1,
        "file": "a",
        "sheet": "s",
        "row": 2,
        "field": "nip",
        "value": "x",
        "code": "NIP_SALAH",
    }
    with pytest.raises(pandera.errors.SchemaError, match="code"):
        FINDINGS_SCHEMA.validate(pd.DataFrame([finding]))


def built_tables(folders, monkeypatch):
    """The output tables of a small run, as `check_tables` saw them."""
    import pipeline.run

    seen = []
    original = pipeline.run.build_tables

    def keep(*args, **kwargs):
        seen.append(original(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(pipeline.run, "build_tables", keep)
    inp, out = folders
    dates = [dt.date(2025, m, d) for m in (1, 2, 3, 4, 5) for d in (6, 20)]
    submission(inp, "uji.xlsx", coaching=[coaching_row(d) for d in dates])
    rekap(inp, out)
    return seen[0]


def test_every_output_table_has_a_contract_and_a_planted_bug_breaks_it(folders, monkeypatch):
    """Each table other tools read is checked before writing; a wrong figure stops the run, not the reader."""
    import dataclasses

    import pandera.errors

    from schemas.tables import TABLE_SCHEMAS, TableMismatch, check_tables

    tables = built_tables(folders, monkeypatch)
    fields = {f.name for f in dataclasses.fields(tables)} - {"perubahan"}  # perubahan: history's own table
    assert set(TABLE_SCHEMAS) == fields
    kartu = tables.kartu.assign(**{"Total JP": tables.kartu["Total JP"] + 1})
    rekap_opd = tables.rekap_opd.assign(**{"Persentase Memenuhi": 1.5})
    detail = tables.detail.assign(Status="Duplikat")  # JP left on rows no longer counted
    numeric_nip = tables.rekap_pegawai.assign(NIP=tables.rekap_pegawai["NIP"].astype("int64"))
    for broken, what in [
        (dataclasses.replace(tables, kartu=kartu), "total_is_the_sum_of_the_kartu_columns"),
        (dataclasses.replace(tables, rekap_opd=rekap_opd), "in_range"),
        (dataclasses.replace(tables, detail=detail), "jp_only_when_counted"),
        (dataclasses.replace(tables, rekap_pegawai=numeric_nip), "is_text"),
    ]:
        with pytest.raises(pandera.errors.SchemaError, match=what):
            check_tables(broken)
    with pytest.raises(TableMismatch, match=r"^Kartu Pengendalian 20 JP: 0 pegawai, Rekap Pegawai 1$"):
        check_tables(dataclasses.replace(tables, kartu=tables.kartu.iloc[0:0]))
    met = tables.rekap_opd.assign(**{"Memenuhi 20 JP": 0})  # and Belum 20 JP still empty
    with pytest.raises(TableMismatch, match=r"^Belum 20 JP \+ Memenuhi: 0 pegawai"):
        check_tables(dataclasses.replace(tables, rekap_opd=met, capaian_opd=met))
