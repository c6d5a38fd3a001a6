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
