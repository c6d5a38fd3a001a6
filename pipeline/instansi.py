"""Who issues and signs the documents: `instansi.toml`, a small settings file with Indonesian keys.

Found with `--instansi FILE`, else as `instansi.toml` in the input folder. Without one every field is a
visible placeholder ("[Nama Instansi]") and the run says so: documents are never withheld, never wrong in
silence. `make template` writes an example to fill in.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SETTINGS_NAME = "instansi.toml"
_TOP_KEYS = {"nama_pemerintah_daerah", "nama_instansi", "alamat", "kota", "daftar_opd", "penandatangan",
             "atasan_langsung"}  # fmt: skip
_PERSON_KEYS = ("nama", "nip", "jabatan")

EXAMPLE = """\
# Pengaturan instansi untuk sertifikat coaching/mentoring dan Kartu Pengendalian 20 JP (rekap-jp).
# Simpan sebagai instansi.toml di folder masukan (atau berikan dengan --instansi / INSTANSI=),
# lalu jalankan make rekap, atau make dokumen untuk mencetak ulang dokumen saja.

nama_pemerintah_daerah = "Pemerintah Kabupaten Nganjuk"
nama_instansi = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
alamat = "Jl. Contoh No. 1, Nganjuk"
kota = "Nganjuk"

# (Boleh dikosongkan) daftar resmi Perangkat Daerah. Nama lain (Peta Unor, unit SIASN, nama berkas) dicocokkan
# dengan daftar ini; nama yang tidak cocok tidak dijadikan Perangkat Daerah baru, melainkan dilaporkan.
# daftar_opd = ["Dinas Kesehatan", "Dinas Pendidikan", "Badan Perencanaan Pembangunan Daerah"]

# Penandatangan sertifikat
[penandatangan]
nama = "Nama Kepala, S.H., M.Si."
nip = "197001011995031001"
jabatan = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"

# (Boleh dikosongkan) atasan langsung yang menandatangani Kartu Pengendalian tiap Perangkat Daerah,
# dengan nama Perangkat Daerah persis seperti di rekap. Tanpa isian, kartu memberi baris kosong untuk diisi tangan.
# [atasan_langsung."Dinas Kesehatan"]
# nama = "dr. Nama Kepala Dinas, M.Kes."
# nip = "197501012000031001"
# jabatan = "Kepala Dinas Kesehatan"
"""


class InstansiError(Exception):
    """An instansi.toml that cannot be used; the message is Indonesian and names the file."""


@dataclass(frozen=True)
class Person:
    nama: str
    nip: str
    jabatan: str


@dataclass(frozen=True)
class Instansi:
    nama_pemerintah_daerah: str = "[Nama Pemerintah Daerah]"
    nama_instansi: str = "[Nama Instansi]"
    alamat: str = "[Alamat Instansi]"
    kota: str = "[Kota]"
    penandatangan: Person = Person("[Nama Penandatangan]", "[NIP Penandatangan]", "[Jabatan Penandatangan]")
    atasan_langsung: dict[str, Person] = field(default_factory=dict)
    daftar_opd: tuple[str, ...] = ()  # the regional government's official OPD names (pipeline.opds)
    source: Path | None = None  # None: the placeholders above

    def atasan_of(self, opd: str) -> Person | None:
        return self.atasan_langsung.get(" ".join(opd.split()).casefold())


def find_settings(given: Path | None, input_folder: Path) -> Path | None:
    if given is not None:
        return given
    found = input_folder / SETTINGS_NAME
    return found if found.is_file() else None


def load_instansi(path: Path | None) -> Instansi:
    """The settings of `path`, or the placeholders when there is none."""
    if path is None:
        return Instansi()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InstansiError(f"Berkas pengaturan instansi '{path}' tidak ada.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise InstansiError(f"Berkas pengaturan instansi '{path}' tidak dapat dibaca: {exc}.") from exc
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise InstansiError(f"'{path}': kunci tidak dikenal: {', '.join(unknown)}.")
    base = Instansi()
    texts = {key: _text(data, key, getattr(base, key), path) for key in ("nama_pemerintah_daerah",
             "nama_instansi", "alamat", "kota")}  # fmt: skip
    atasan = data.get("atasan_langsung", {})
    if not isinstance(atasan, dict):
        raise InstansiError(f"'{path}': atasan_langsung harus berupa tabel per Perangkat Daerah.")
    return Instansi(
        **texts,
        penandatangan=_person(data.get("penandatangan", {}), base.penandatangan, path, "penandatangan"),
        atasan_langsung={
            " ".join(str(opd).split()).casefold(): _person(
                spec, Person("", "", ""), path, f"atasan_langsung.{opd}"
            )
            for opd, spec in atasan.items()
        },
        daftar_opd=_names(data.get("daftar_opd", []), path),
        source=path,
    )


def _names(value: object, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InstansiError(f"'{path}': daftar_opd harus berupa daftar nama, mis. [\"Dinas Kesehatan\"].")
    return tuple(" ".join(v.split()) for v in value if v.strip())


def _text(data: dict[str, object], key: str, default: str, path: Path) -> str:
    value = data.get(key, default)
    if not isinstance(value, (str, int)):
        raise InstansiError(f"'{path}': {key} harus berupa teks.")
    return " ".join(str(value).split()) or default


def _person(spec: object, default: Person, path: Path, where: str) -> Person:
    if not isinstance(spec, dict):
        raise InstansiError(f"'{path}': {where} harus berupa tabel (nama, nip, jabatan).")
    unknown = sorted(set(spec) - set(_PERSON_KEYS))
    if unknown:
        raise InstansiError(f"'{path}': kunci tidak dikenal di {where}: {', '.join(unknown)}.")
    values = {key: _text(spec, key, getattr(default, key), path) for key in _PERSON_KEYS}
    return Person(**values)


def settings_warnings(instansi: Instansi) -> list[str]:
    if instansi.source is not None:
        return []
    return [
        "pengaturan instansi (instansi.toml) tidak ditemukan: sertifikat dan Kartu Pengendalian PDF memakai isian "
        "contoh seperti [Nama Instansi]. Isi contoh dari `make template` (output/instansi_contoh.toml), simpan "
        "sebagai instansi.toml di folder masukan, lalu jalankan `make dokumen`."
    ]
