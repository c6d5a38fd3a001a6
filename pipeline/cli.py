"""Thin command line: parse arguments, call one library function, map its exceptions to exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.profiles import DEFAULT_PROFILE, ProfileError, available_profiles, load_profile
from pipeline.run import NothingReadable, RunConfig, RunResult, UsageError, default_jobs, run
from pipeline.template import write_template
from pipeline.terms import REPORT_ORDER, STATUS_KEYS

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description="Rekap JP coaching & mentoring ASN"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("rekap", "rekap lengkap + laporan validasi"), ("validate", "hanya laporan validasi")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--input", required=True, type=Path, help="folder berisi berkas OPD")
        sub.add_argument("--output", default=Path("output"), type=Path)
        sub.add_argument("--year", type=int, help="tahun laporan (bawaan: dari berkas)")
        sub.add_argument("--profile", default=DEFAULT_PROFILE, help="profil aturan JP")
        sub.add_argument("--roster", type=Path, help="berkas Data Pegawai")
        sub.add_argument("--jobs", type=int, default=default_jobs(), help="jumlah proses pembaca")
        sub.add_argument("--strict", action="store_true", help="kode keluar 1 bila ada Kesalahan")
    template = commands.add_parser("template", help="tulis template OPD")
    template.add_argument("--output", required=True, type=Path)
    template.add_argument("--profile", default=DEFAULT_PROFILE)
    commands.add_parser("profiles", help="daftar profil aturan")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "profiles":
            for profile_id in available_profiles():
                profile = load_profile(profile_id)
                default = " (bawaan)" if profile_id == DEFAULT_PROFILE else ""
                print(f"{profile_id}{default}: {profile.name}. Dasar: {profile.basis}")
            return EXIT_OK
        if args.command == "template":
            write_template(args.output, load_profile(args.profile))
            print(f"Template ditulis: {args.output}")
            return EXIT_OK
        config = RunConfig(
            input=args.input,
            output=args.output,
            profile=args.profile,
            year=args.year,
            roster=args.roster,
            jobs=max(1, args.jobs),
            validate_only=args.command == "validate",
            progress=sys.stderr.isatty(),
        )
        result = run(config)
    except (UsageError, ProfileError) as exc:
        print(f"Kesalahan penggunaan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NothingReadable as exc:
        print(f"Tidak ada yang dapat dibaca: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    print(summary(result, config))
    return EXIT_STRICT if args.strict and result.kesalahan else EXIT_OK


def summary(result: RunResult, config: RunConfig) -> str:
    r = result.reconciliation
    e = result.evaluations
    rows = [
        ("Tahun / profil", f"{result.year} / {result.profile.id}"),
        ("Berkas", str(result.files)),
        ("Baris kegiatan dibaca", str(r["rows_read"])),
        *((status, str(r[STATUS_KEYS[status]])) for status in REPORT_ORDER),
        ("Baris evaluasi (diterima/ditolak)", f"{e['accepted']}/{e['rejected']}"),
        ("Temuan (Kesalahan)", f"{len(result.report)} ({result.kesalahan})"),
    ]
    if result.changed is not None:
        rows.append(("Pegawai berubah (vs run sebelumnya)", str(result.changed)))
    if config.validate_only:
        rows.append(("Laporan validasi", str(result.report_folder)))
    else:
        rows += [("Laporan", str(config.output)), ("Laporan validasi", str(result.report_folder))]
    width = max(len(label) for label, _ in rows)
    line = "+" + "-" * (width + 2) + "+" + "-" * 42 + "+"
    body = [f"| {label.ljust(width)} | {value[:40].ljust(40)} |" for label, value in rows]
    return "\n".join([line, *body, line])
