import pytest

from pipeline.profiles import ProfileError, available_profiles, load_profile, parse_profile


def test_both_profiles_ship_and_cite_their_basis():
    assert available_profiles() == ["nganjuk-2025", "pangkalpinang-2023"]
    assert "100.3.3.2/249/K/411.013/2025" in load_profile("nganjuk-2025").basis
    assert "Pangkalpinang Nomor 1 Tahun 2023" in load_profile("pangkalpinang-2023").basis


@pytest.mark.parametrize(
    ("profile", "activity", "national", "international"),
    [
        ("nganjuk-2025", "coaching", 4, 4),
        ("nganjuk-2025", "mentoring", 2, 2),
        ("pangkalpinang-2023", "coaching", 2, 4),
        ("pangkalpinang-2023", "mentoring", 2, 4),
    ],
)
def test_session_jp_and_cap(profile, activity, national, international):
    a = load_profile(profile).activities[activity]
    assert (a.jp_national, a.jp_international, a.max_per_month) == (national, international, 2)


def test_aliases_people_write():
    p = load_profile("nganjuk-2025")
    assert p.activity_for("Bimtek") == "bimbingan_teknis"
    assert p.activity_for("  LOKAKARYA ") == "workshop"
    assert p.activity_for("Webinar") == "seminar"
    assert p.activity_for("Rapat Koordinasi") is None


BASE = b"""
id = "x"
name = "x"
version = "1"
basis = "b"
yearly_target_jp = 20
[ip_asn]
indicator_20jp = { JPT = 15, Administrator = 15, Pengawas = 15, JF = 15, Pelaksana = 22.5 }
[activities.coaching]
label = "Coaching"
category = "non klasikal"
kartu_column = "Coaching"
unit = "sesi"
jp_national = 4
jp_international = 4
max_per_month = 2
"""
MENTORING = b"""
[activities.mentoring]
label = "Mentoring"
category = "non klasikal"
kartu_column = "Mentoring"
unit = "sesi"
jp_national = 2
jp_international = 2
max_per_month = 2
"""


def test_a_minimal_valid_profile_loads():
    assert parse_profile(BASE + MENTORING).activities["mentoring"].jp_national == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BASE, "kegiatan wajib 'mentoring'"),
        (BASE + MENTORING.replace(b"jp_national = 2", b"jp_national = -2"), "tidak boleh negatif"),
        (BASE + MENTORING + b"bonus = 1\n", "kunci tidak dikenal: bonus"),
        (BASE + MENTORING.replace(b'"sesi"', b'"jam"'), "unit 'jam' tidak dikenal"),
        (
            BASE.replace(b'kartu_column = "Coaching"', b'kartu_column = "Lain"') + MENTORING,
            "bukan kolom Kartu",
        ),
    ],
)
def test_invalid_profiles_are_clear_errors(text, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile(text)


def test_unknown_profile_names_the_known_ones():
    with pytest.raises(ProfileError, match="nganjuk-2025, pangkalpinang-2023"):
        load_profile("jakarta")


# Lampiran II of Perwali Pangkalpinang 1/2023, every row as the regulation writes it (A.1, B.1.1-11, B.2.1-11
# without coaching and mentoring), and the activity it is. Nganjuk cites the LAN table with the same rows,
# except "Pelatihan di tingkat nasional", which only the Perwali has.
LAMPIRAN_II = [
    ("Pendidikan tinggi jenjang diploma/S1/S2/S3", "pendidikan"),
    ("Pelatihan struktural kepemimpinan", "pelatihan_struktural"),
    ("Pelatihan di tingkat nasional", "pelatihan_nasional"),
    ("Pelatihan Manajerial", "pelatihan_manajerial"),
    ("Pelatihan teknis", "pelatihan_teknis"),
    ("Pelatihan fungsional", "pelatihan_fungsional"),
    ("Pelatihan sosial kultural", "pelatihan_sosial_kultural"),
    ("Seminar/konferensi/sarasehan/sosialisasi", "seminar"),
    ("Workshop/lokakarya", "workshop"),
    ("Kursus", "kursus"),
    ("Penataran", "penataran"),
    ("Bimbingan teknis", "bimbingan_teknis"),
    (
        "Pertukaran antara PNS dengan pegawai swasta/badan usaha milik negara/badan usaha milik daerah",
        "pertukaran",
    ),
    ("Magang/praktik kerja", "magang"),
    ("Patok banding (benchmarking)", "patok_banding"),
    ("Pelatihan jarak jauh", "pelatihan_jarak_jauh"),
    ("Detasering (secondment)", "detasering"),
    ("E-learning", "e_learning"),
    ("Belajar mandiri (self development)", "belajar_mandiri"),
    ("Komunitas belajar (community of practices)", "komunitas_belajar"),
    ("Pembelajaran alam terbuka (outbond)", "pembelajaran_alam_terbuka"),
]


@pytest.mark.parametrize(("profile_id"), ["pangkalpinang-2023", "nganjuk-2025"])
@pytest.mark.parametrize(("name", "activity"), LAMPIRAN_II)
def test_every_lampiran_ii_row_is_accepted_verbatim(profile_id, name, activity):
    if profile_id == "nganjuk-2025" and activity == "pelatihan_nasional":
        pytest.skip("only the Perwali has this row")
    assert load_profile(profile_id).activity_for(name) == activity


SIASN_TRAINING_NAMES = [
    ("Diklat Struktural", "pelatihan_struktural"),
    ("DIKLATPIM IV", "pelatihan_struktural"),
    ("Diklat Fungsional", "pelatihan_fungsional"),
    ("Diklat Teknis", "pelatihan_teknis"),
    ("Bimbingan di tempat kerja", "bimbingan_tempat_kerja"),
    ("Seminar", "seminar"),
    ("Workshop", "workshop"),
    ("Kursus", "kursus"),
    ("Magang", "magang"),
    ("E-Learning", "e_learning"),
    ("Pelatihan Jarak Jauh", "pelatihan_jarak_jauh"),
]


@pytest.mark.parametrize("profile_id", ["nganjuk-2025", "pangkalpinang-2023"])
@pytest.mark.parametrize(("name", "activity"), SIASN_TRAINING_NAMES)
def test_siasn_training_history_names_are_accepted(profile_id, name, activity):
    assert load_profile(profile_id).activity_for(name) == activity
