"""make bench: 10,000 certificates and a 10,000-row Kartu Pengendalian over 40 OPDs, timed."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

import pandas as pd

from pipeline.documents import Letter, write_certificates, write_kartu
from pipeline.instansi import Instansi
from pipeline.profiles import KARTU_COLUMNS

ROWS = 10_000


def register(n: int) -> pd.DataFrame:
    nips = [f"1985031220100{i:05d}" for i in range(n)]
    return pd.DataFrame(
        {
            "No Sertifikat": [f"2025/COACHING/{nip}" for nip in nips],
            "NIP": nips,
            "Nama": [f"Dr. Pegawai Nomor {i}, S.E., M.Si." for i in range(n)],
            "Perangkat Daerah": [f"Dinas {i % 40}" for i in range(n)],
            "Kegiatan": "Coaching",
            "Jumlah Sesi": 5,
            "JP": 20.0,
            "Periode": "03/01/2025 s.d. 03/05/2025",
            "Pangkat/Gol": "Penata (III/c)",
            "Jabatan": "Analis Kebijakan Ahli Muda",
        }
    )


def main() -> None:
    rows = register(ROWS)
    kartu = rows[["NIP", "Nama", "Perangkat Daerah"]].assign(
        **{c: 2.5 for c in KARTU_COLUMNS}, **{"Total JP": 17.5, "Status 20 JP": "Belum Terpenuhi"}
    )
    letter = Letter(Instansi(), "Keputusan Bupati Nganjuk", 2025, dt.date(2026, 1, 15))
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_certificates(Path(folder) / "sertifikat", rows, letter)
        print(f"{ROWS:,} sertifikat: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        write_kartu(Path(folder) / "kartu", kartu, letter)
        print(f"Kartu {ROWS:,} baris: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
