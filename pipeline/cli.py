"""Thin command line: parse arguments, call one library function, map its exceptions to exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import NoReturn, TextIO

from pipeline.instansi import EXAMPLE as INSTANSI_EXAMPLE
from pipeline.profile_check import describe
from pipeline.profiles import DEFAULT_PROFILE, ProfileError, available_profiles, load_profile
from pipeline.reprint import reprint
from pipeline.run import RunConfig, RunResult, default_jobs, run
from pipeline.template import write_template
from pipeline.terms import REPORT_ORDER, STATUS_KEYS
from pipeline.textnorm import visible
from pipeline.usage import NothingReadable, UsageError, check_year

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_NOTHING, EXIT_INTERNAL = 0, 1, 2, 3, 4
# Set by the Makefile, so a message names the variable she typed (YEAR=) rather than the option (--year).
MAKE_MARKER = "REKAP_JP_MAKE"
MAKE_VARIABLES = {"--input": "INPUT", "--output": "OUTPUT", "--year": "YEAR", "--profile": "PROFILE",
                  "--roster": "ROSTER", "--jobs": "JOBS", "--instansi": "INSTANSI"}  # fmt: skip
CRASH_LOG = "rekap-jp-galat.log"


def option_label(option: str) -> str:
    if os.environ.get(MAKE_MARKER) and option in MAKE_VARIABLES:
        return f"{MAKE_VARIABLES[option]}="
    return option


class Parser(argparse.ArgumentParser):
    """argparse, answering in Indonesian with exit code 2."""

    def error(self, message: str) -> NoReturn:
        for english, indonesian in _ARGPARSE_WORDS:
            message = message.replace(english, indonesian)
        self.exit(EXIT_USAGE, f"Kesalahan penggunaan: {message}. Lihat: {self.prog} --help\n")


_ARGPARSE_WORDS = (
    ("the following arguments are required", "argumen wajib belum diisi"),
    ("unrecognized arguments", "argumen tidak dikenal"),
    ("invalid choice", "pilihan tidak dikenal"),
    ("choose from", "pilih dari"),
    ("expected one argument", "perlu satu nilai"),
    ("invalid int value", "bukan bilangan bulat"),
    ("argument ", "argumen "),
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m pipeline", description="Rekap JP coaching & mentoring ASN")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name, text in (("rekap", "rekap lengkap + laporan validasi"), ("validate", "hanya laporan validasi")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--input", required=True, type=Path, help="folder berisi berkas OPD")
        sub.add_argument(
            "--output",
            default=Path("output"),
            type=Path,
            help="folder hasil (bawaan: output); dibuat bila belum ada",
        )
        sub.add_argument("--year", help="tahun laporan, mis. 2025 (bawaan: dari berkas)")
        sub.add_argument(
            "--profile", default=DEFAULT_PROFILE, help="profil aturan JP: id atau path berkas .toml"
        )
        sub.add_argument("--roster", type=Path, help="berkas Data Pegawai")
        sub.add_argument(
            "--instansi", type=Path, help="pengaturan instansi (bawaan: instansi.toml di folder masukan)"
        )
        sub.add_argument("--jobs", type=int, default=default_jobs(), help="jumlah proses pembaca")
        sub.add_argument("--strict", action="store_true", help="kode keluar 1 bila ada Kesalahan")
    dokumen = commands.add_parser(
        "dokumen", help="cetak ulang sertifikat dan Kartu PDF dari hasil run terakhir"
    )
    dokumen.add_argument(
        "--output", default=Path("output"), type=Path, help="folder hasil run (bawaan: output)"
    )
    dokumen.add_argument("--input", type=Path, help="folder masukan, tempat instansi.toml dicari")
    dokumen.add_argument("--year", help="tahun laporan (bawaan: tahun hasil run terakhir)")
    dokumen.add_argument("--instansi", type=Path, help="pengaturan instansi (instansi.toml)")
    template = commands.add_parser("template", help="tulis template OPD")
    template.add_argument("--output", required=True, type=Path, help="berkas template yang ditulis")
    template.add_argument("--profile", default=DEFAULT_PROFILE, help="profil aturan JP")
    profiles = commands.add_parser("profiles", help="daftar profil aturan, atau periksa satu berkas profil")
    profiles.add_argument(
        "--check", type=Path, help="berkas profil .toml yang diperiksa (lihat docs/profil.md)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _command(args)
    except UsageError as exc:
        say(f"Kesalahan penggunaan: {exc.render(option_label(exc.option))}", file=sys.stderr)
        return EXIT_USAGE
    except ProfileError as exc:
        say(f"Kesalahan penggunaan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NothingReadable as exc:
        say(f"Tidak ada yang dapat dibaca: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    except Exception:  # the last resort: no traceback reaches the analyst, the details reach a file
        log = write_crash_log(getattr(args, "output", None))
        say(
            f"Terjadi kesalahan tak terduga pada program. Rinciannya ditulis ke '{log}'; kirim berkas itu ke "
            "pengelola aplikasi. Hasil sebelumnya di folder hasil tidak berubah.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _command(args: argparse.Namespace) -> int:
    if args.command == "profiles" and args.check is not None:
        say(describe(load_profile(str(args.check))))
        return EXIT_OK
    if args.command == "profiles":
        for profile_id in available_profiles():
            profile = load_profile(profile_id)
            default = " (bawaan)" if profile_id == DEFAULT_PROFILE else ""
            say(f"{profile_id}{default}: {profile.name}. Dasar: {profile.basis}")
        return EXIT_OK
    if args.command == "template":
        write_template(args.output, load_profile(args.profile))
        example = args.output.with_name("instansi_contoh.toml")
        example.write_text(INSTANSI_EXAMPLE, encoding="utf-8")
        say(f"Template ditulis: {args.output}\nContoh pengaturan instansi: {example}")
        return EXIT_OK
    if args.command == "dokumen":
        written = reprint(args.output, check_year(args.year), args.input, args.instansi, dt.date.today())
        say(
            f"Dokumen ditulis: {len(written.files)} berkas PDF di {args.output} ({written.pages} sertifikat)."
        )
        for warning in written.warnings:
            say(f"Peringatan: {warning}")
        return EXIT_OK
    config = RunConfig(
        input=args.input,
        output=args.output,
        profile=args.profile,
        year=check_year(args.year),
        roster=args.roster,
        instansi=args.instansi,
        jobs=max(1, args.jobs),
        validate_only=args.command == "validate",
        progress=sys.stderr.isatty(),
    )
    result = run(config)
    say(summary(result, config))
    for warning in result.warnings:
        say(f"Peringatan: {warning}")
    return EXIT_STRICT if args.strict and result.kesalahan else EXIT_OK


def write_crash_log(output: Path | None) -> Path:
    """The traceback, in the output folder when it can hold it, else in the system's temporary folder."""
    text = f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {' '.join(sys.argv)}\n{traceback.format_exc()}"
    for folder in (output, Path(tempfile.gettempdir())):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / CRASH_LOG
            with path.open("a", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except OSError:
            continue
    return Path(CRASH_LOG)


def summary(result: RunResult, config: RunConfig) -> str:
    r = result.reconciliation
    e = result.evaluations
    rows = [
        ("Tahun / profil", f"{result.year} / {result.profile.id}"),
        ("Berkas ditemukan", str(result.files)),
        ("Berkas dibaca / dilewati", f"{result.files - len(result.skipped)} / {len(result.skipped)}"),
        ("Baris kegiatan dibaca", str(r["rows_read"])),
        *((status, str(r[STATUS_KEYS[status]])) for status in REPORT_ORDER),
        ("Baris evaluasi (diterima/ditolak)", f"{e['accepted']}/{e['rejected']}"),
        ("Temuan (Kesalahan)", f"{len(result.report)} ({result.kesalahan})"),
    ]
    if result.gaps is not None and result.gaps.no_opd:
        rows.append(("Pegawai tanpa Perangkat Daerah", str(result.gaps.no_opd)))
    if result.gaps is not None and result.gaps.no_jenis:
        rows.append(("PNS tanpa jenis jabatan (indikator kosong)", str(result.gaps.no_jenis)))
    if result.changed is not None:
        rows.append(("Pegawai berubah (vs run sebelumnya)", str(result.changed)))
    if config.validate_only:
        rows.append(("Laporan validasi", str(result.report_folder)))
    else:
        rows += [("Laporan", str(config.output)), ("Laporan validasi", str(result.report_folder))]
    rows += [("Dilewati", name) for name in result.skipped[:10]]
    width = max(len(label) for label, _ in rows)
    # wide enough for the whole report path: the table says where the reports are
    value_width = max(40, *(len(value) for _, value in rows))
    line = "+" + "-" * (width + 2) + "+" + "-" * (value_width + 2) + "+"
    body = [f"| {label.ljust(width)} | {value.ljust(value_width)} |" for label, value in rows]
    return "\n".join([line, *body, line])


def say(*parts: object, file: TextIO | None = None) -> None:
    """print, with control characters shown and not obeyed: a file name or cell may hold an ANSI escape."""
    print(*(visible(str(p)) for p in parts), file=file)
