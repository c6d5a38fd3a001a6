"""Writes input_samples/: realistic OPD submissions for one year, with deliberate mistakes.

Deterministic (fixed seed). Every mechanism shows up on `make rekap`: the monthly cap, a session reported by
two OPDs, an out-of-period session, rejected rows, other activities, evaluations, a retyped workbook with a
title, a merged two-row header and Indonesian dates, a hidden sheet, a PDF scan and an Excel lock file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import xlsxwriter

from pipeline.instansi import EXAMPLE, SETTINGS_NAME
from pipeline.profiles import load_profile
from pipeline.template import write_template
from pipeline.write import FIXED_CREATED, WORKBOOK_OPTIONS

YEAR = 2025
OPDS = [
    ("Dinas Pendidikan", "dinas_pendidikan"),
    ("Dinas Kesehatan", "dinas_kesehatan"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "bkpsdm"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "dinas_pupr"),
    ("Badan Perencanaan Pembangunan Daerah", "bappeda"),
]
FIRST = [
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Eko",
    "Sri",
    "Joko",
    "Rina",
    "Hadi",
    "Wahyuni",
    "Bambang",
    "Endang",
    "Slamet",
    "Yuliana",
    "Teguh",
    "Ratna",
    "Dwi",
    "Nur",
    "Fajar",
    "Lestari",
    "Arif",
    "Puji",
    "Heru",
    "Indah",
]
LAST = [
    "Santoso",
    "Rahayu",
    "Wibowo",
    "Lestari",
    "Prasetyo",
    "Handayani",
    "Susanto",
    "Kurniawati",
    "Setiawan",
    "Purnomo",
    "Wulandari",
    "Hidayat",
    "Utami",
    "Nugroho",
    "Saputra",
    "Maharani",
]
RANKS = [
    ("IV/b", "Pembina Tingkat I"),
    ("IV/a", "Pembina"),
    ("III/d", "Penata Tingkat I"),
    ("III/c", "Penata"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/a", "Penata Muda"),
    ("II/c", "Pengatur"),
]
JOBS = [
    ("Kepala Dinas", "JPT"),
    ("Sekretaris", "Administrator"),
    ("Kepala Bidang", "Administrator"),
    ("Kepala Sub Bagian", "Pengawas"),
    ("Analis Kepegawaian Ahli Muda", "JF"),
    ("Pranata Komputer Ahli Pertama", "JF"),
    ("Pengadministrasi Umum", "Pelaksana"),
    ("Pengelola Keuangan", "Pelaksana"),
]


def make_nip(rng: random.Random, pppk: bool = False) -> str:
    birth = dt.date(rng.randint(1968, 1996), rng.randint(1, 12), rng.randint(1, 28))
    tmt_year = rng.randint(birth.year + 22, min(birth.year + 30, 2022))
    middle = f"{tmt_year}21" if pppk else f"{tmt_year}{rng.randint(1, 12):02d}"
    return f"{birth:%Y%m%d}{middle}{rng.randint(1, 2)}{rng.randint(1, 40):03d}"


def make_people(rng: random.Random) -> list[dict]:
    people, used = [], set()
    for opd, _ in OPDS:
        for i in range(12):
            job, jenis = JOBS[min(i, len(JOBS) - 1)] if i < 4 else JOBS[rng.randint(4, len(JOBS) - 1)]
            pppk = i >= 10
            nip = make_nip(rng, pppk)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            while name in used:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            used.add(name)
            grade, rank = RANKS[min(i, len(RANKS) - 1)] if not pppk else ("IX", "PPPK")
            people.append(
                {
                    "nip": nip,
                    "nama": name,
                    "grade": grade,
                    "rank": rank,
                    "jabatan": job,
                    "jenis": jenis,
                    "opd": opd,
                    "status": "PPPK" if pppk else "PNS",
                }
            )
    return people


def session(date: dt.date, recipient: dict, giver: dict, n: int, rng: random.Random) -> dict:
    return {
        "no": n,
        "tanggal": date,
        "nip_penerima": recipient["nip"],
        "nama_penerima": recipient["nama"],
        "pangkat_penerima": recipient["grade"],
        "jabatan_penerima": recipient["jabatan"],
        "unit_penerima": recipient["opd"],
        "nip_pembimbing": giver["nip"],
        "nama_pembimbing": giver["nama"],
        "pangkat_pembimbing": giver["grade"],
        "jabatan_pembimbing": giver["jabatan"],
        "unit_pembimbing": giver["opd"],
        "skala": "Nasional",
        "moda": rng.choice(["Luring", "Daring"]),
        "identifikasi": "Peningkatan kemampuan penyusunan laporan kinerja",
        "hubungan": "Tugas pokok penyusunan laporan",
        "kegiatan": "Diskusi dan praktik penyusunan laporan",
        "bukti": f"formulir_{date:%Y%m%d}_{recipient['nip'][-4:]}.pdf",
    }


def opd_rows(people: list[dict], opd: str, rng: random.Random) -> dict[str, list[dict]]:
    staff = [p for p in people if p["opd"] == opd]
    head, staff_rest = staff[1], staff[2:]
    coaching, mentoring, evals, penilaian, lain = [], [], [], [], []
    for person in staff_rest:
        months = rng.sample(range(1, 12), rng.randint(1, 5))
        for month in sorted(months):
            for _ in range(rng.randint(1, 2)):
                date = dt.date(YEAR, month, rng.randint(1, 28))
                coaching.append(session(date, person, head, len(coaching) + 1, rng))
                if rng.random() < 0.5:
                    scores = {f"p{i}": rng.choice([2, 3, 3]) for i in range(1, 10)}
                    evals.append(
                        {
                            "no": len(evals) + 1,
                            "tanggal": date,
                            "nip_penerima": person["nip"],
                            "nip_pembimbing": head["nip"],
                            **scores,
                            "saran": "Cukup jelas",
                        }
                    )
        if rng.random() < 0.6:
            mentor = staff[0]
            for month in rng.sample(range(2, 12), 2):
                mentoring.append(
                    session(dt.date(YEAR, month, rng.randint(1, 28)), person, mentor, len(mentoring) + 1, rng)
                )
            penilaian.append(
                {
                    "no": len(penilaian) + 1,
                    "tanggal": dt.date(YEAR, 11, 28),
                    "nip_penerima": person["nip"],
                    "nip_pembimbing": mentor["nip"],
                    "penilaian": rng.choice(["Mampu", "Sangat Mampu"]),
                    "penjelasan": "Menyelesaikan isu yang ditetapkan",
                }
            )
    for person in rng.sample(staff, 5):
        lain.append(
            {
                "no": len(lain) + 1,
                "nip_penerima": person["nip"],
                "nama_penerima": person["nama"],
                "jenis": "Bimbingan Teknis",
                "tanggal": dt.date(YEAR, 5, 12),
                "tanggal_selesai": dt.date(YEAR, 5, 14),
                "skala": "Nasional",
                "jp_program": 24,
                "keterangan": "Bimtek pengelolaan arsip",
            }
        )
    person = staff[3]
    lain += [
        {
            "no": len(lain) + 1,
            "nip_penerima": person["nip"],
            "nama_penerima": person["nama"],
            "jenis": "Seminar",
            "tanggal": dt.date(YEAR, 8, 19),
            "tanggal_selesai": dt.date(YEAR, 8, 20),
            "skala": "Nasional",
            "jumlah_hari": 2,
        },
        {
            "no": len(lain) + 2,
            "nip_penerima": person["nip"],
            "nama_penerima": person["nama"],
            "jenis": "E-Learning",
            "tanggal": dt.date(YEAR, 9, 1),
            "tanggal_selesai": dt.date(YEAR, 9, 2),
            "jp_program": 10,
            "jumlah_hari": 2,
        },
    ]
    return {
        "coaching": coaching,
        "mentoring": mentoring,
        "evaluasi": evals,
        "penilaian": penilaian,
        "lain": lain,
    }


def add_mistakes(rows: dict[str, list[dict]], people: list[dict], opd: str, rng: random.Random) -> None:
    """The mistakes an analyst meets every year, a few per OPD."""
    staff = [p for p in people if p["opd"] == opd]
    coaching = rows["coaching"]
    person, head = staff[4], staff[1]
    for day in (3, 10, 17):  # three sessions in March: the third is over the cap
        coaching.append(session(dt.date(YEAR, 3, day), person, head, len(coaching) + 1, rng))
    coaching.append(
        session(dt.date(YEAR - 1, 12, 18), staff[5], head, len(coaching) + 1, rng)
    )  # out of period
    bad = session(dt.date(YEAR, 6, 11), staff[6], head, len(coaching) + 1, rng)
    bad["nip_penerima"] = bad["nip_penerima"][:-1]  # 17 digits
    coaching.append(bad)
    same = session(dt.date(YEAR, 7, 8), staff[7], staff[7], len(coaching) + 1, rng)
    coaching.append(same)
    missing = session(dt.date(YEAR, 9, 9), staff[8], head, len(coaching) + 1, rng)
    missing["nip_pembimbing"] = ""
    missing["bukti"] = ""
    coaching.append(missing)
    coaching.append(dict(coaching[0], no=len(coaching) + 1))  # the same session typed twice
    rows["evaluasi"].append(
        {
            "no": 99,
            "tanggal": dt.date(YEAR, 4, 2),
            "nip_penerima": staff[2]["nip"],
            "nip_pembimbing": head["nip"],
            **{f"p{i}": 3 for i in range(1, 10)},
            "p5": 4,
        }
    )
    rows["penilaian"].append(
        {
            "no": 99,
            "tanggal": dt.date(YEAR, 11, 28),
            "nip_penerima": staff[3]["nip"],
            "nip_pembimbing": staff[0]["nip"],
            "penilaian": "Cukup",
        }
    )
    rows["lain"].append(
        {
            "no": 99,
            "nip_penerima": staff[2]["nip"],
            "nama_penerima": staff[2]["nama"],
            "jenis": "Rapat Koordinasi",
            "tanggal": dt.date(YEAR, 10, 1),
        }
    )


def write_roster(path: Path, people: list[dict]) -> None:
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    workbook.set_properties({"created": FIXED_CREATED})
    ws = workbook.add_worksheet("Data Pegawai")
    head = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    headers = ["NIP", "Nama", "Pangkat/Gol", "Jabatan", "Jenis Jabatan", "Perangkat Daerah", "Status"]
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
    for r, p in enumerate(people, start=1):
        values = [p["nip"], p["nama"], p["grade"], p["jabatan"], p["jenis"], p["opd"], p["status"]]
        for c, v in enumerate(values):
            ws.write_string(r, c, v, text)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 5, 28)
    workbook.close()


def write_retyped(path: Path, people: list[dict], opd: str, rows: list[dict]) -> None:
    """An OPD that retyped the regulation's form: title rows, merged COACH/COACHEE header, text dates."""
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    workbook.set_properties({"created": FIXED_CREATED})
    ws = workbook.add_worksheet("Lap. Coaching 2025")
    bold = workbook.add_format({"bold": True, "align": "center", "border": 1})
    ws.merge_range(0, 0, 0, 8, f"LAPORAN PELAKSANAAN COACHING {opd.upper()}", bold)
    ws.write_string(1, 0, "TAHUN 2025")
    ws.merge_range(3, 0, 4, 0, "NO.", bold)
    ws.merge_range(3, 1, 4, 1, "HARI/TANGGAL", bold)
    ws.merge_range(3, 2, 3, 4, "COACHEE", bold)
    ws.merge_range(3, 5, 3, 7, "COACH", bold)
    ws.merge_range(3, 8, 4, 8, "Paraf", bold)
    for c, h in enumerate(["Nama", "NIP", "Pangkat/Gol."] * 2, start=2):
        ws.write_string(4, c, h, bold)
    days = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    months = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    r = 5
    for n, s in enumerate(rows, start=1):
        d = s["tanggal"]
        nip = s["nip_penerima"]
        ws.write_number(r, 0, n)
        ws.write_string(r, 1, f"{days[d.weekday()]}, {d.day} {months[d.month - 1]} {d.year}")
        ws.write_string(r, 2, " " + s["nama_penerima"].upper() + " ")
        ws.write_string(r, 3, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
        ws.write_string(r, 4, s["pangkat_penerima"])
        ws.write_string(r, 5, s["nama_pembimbing"])
        if n == 2:
            ws.write_number(r, 6, float(s["nip_pembimbing"]))  # Excel turned it into a number
        else:
            ws.write_string(r, 6, s["nip_pembimbing"])
        ws.write_string(r, 7, s["pangkat_pembimbing"])
        r += 1
    for n in range(len(rows) + 1, len(rows) + 6):  # pre-numbered empty rows
        ws.write_number(r, 0, n)
        r += 1
    ws.set_column(0, 8, 22)
    old = workbook.add_worksheet("Coaching 2024 (lama)")
    old.write_string(0, 0, "data lama")
    old.hide()
    workbook.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, default=Path("input_samples"))
    args = parser.parse_args()
    rng = random.Random(YEAR)
    profile = load_profile("nganjuk-2025")
    people = make_people(rng)
    args.output.mkdir(parents=True, exist_ok=True)
    write_roster(args.output / "data_pegawai_2025.xlsx", people)
    all_rows = {}
    for opd, _ in OPDS[:4]:
        rows = opd_rows(people, opd, rng)
        add_mistakes(rows, people, opd, rng)
        all_rows[opd] = rows
    # A cross-OPD session: a BKPSDM coach coaching a Dinas Kesehatan employee; both OPDs report it.
    guest = [p for p in people if p["opd"] == OPDS[1][0]][9]
    coach = next(p for p in people if p["opd"] == OPDS[2][0])
    shared = session(dt.date(YEAR, 10, 14), guest, coach, 0, rng)
    all_rows[OPDS[1][0]]["coaching"].append(dict(shared, no=len(all_rows[OPDS[1][0]]["coaching"]) + 1))
    all_rows[OPDS[2][0]]["coaching"].append(dict(shared, no=len(all_rows[OPDS[2][0]]["coaching"]) + 1))
    for opd, slug in OPDS[:4]:
        # Only one OPD states its submission date (late for most sessions: LATE_REPORT shows on its rows).
        submitted = dt.datetime(YEAR, 12, 10) if slug == "dinas_pupr" else None
        identitas = {
            "opd": opd,
            "tahun": YEAR,
            "tanggal_penyerahan": submitted,
            "nama_pengelola": "Pengelola SDM " + slug.upper(),
            "nip_pengelola": people[0]["nip"],
        }
        write_template(args.output / f"{slug}_2025.xlsx", profile, identitas, all_rows[opd])
    opd, slug = OPDS[4]
    retyped = opd_rows(people, opd, rng)["coaching"]
    (args.output / "kiriman_bappeda").mkdir(exist_ok=True)
    write_retyped(args.output / "kiriman_bappeda" / f"{slug}_coaching_2025.xlsx", people, opd, retyped)
    # BKPSDM's own settings for the certificates and Kartu PDFs (the example `make template` writes)
    (args.output / SETTINGS_NAME).write_text(EXAMPLE, encoding="utf-8")
    (args.output / "scan_surat_pengantar.pdf").write_bytes(
        b"%PDF-1.4\n% contoh pindaian surat pengantar\n%%EOF\n"
    )
    (args.output / "~$dinas_pendidikan_2025.xlsx").write_bytes(b"lock")


if __name__ == "__main__":
    main()
