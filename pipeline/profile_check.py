"""`profiles --check FILE`: a region's own profile read back to the analyst, in Indonesian, as the
conversion table its regulation prints, so she can compare it row by row before trusting the figures."""

from __future__ import annotations

from pipeline.profiles import Activity, Profile

HEADERS = ("Kegiatan", "Kelompok", "Kolom Kartu", "Satuan", "Nasional", "Internasional", "Batas")


def number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def conversion_rows(profile: Profile) -> list[tuple[str, ...]]:
    return [
        (a.label, a.category, a.kartu_column, a.unit, *_jp(a), _limit(a)) for a in profile.activities.values()
    ]


def _jp(a: Activity) -> tuple[str, str]:
    if a.unit == "program":
        national = "JP program" + (f", maks {number(a.max_jp_per_day)} JP/hari" if a.max_jp_per_day else "")
        if a.max_jp_per_day_international is not None:
            return national, f"JP program, maks {number(a.max_jp_per_day_international)} JP/hari"
        return national, f"JP program x {number(a.international_multiplier or 1.0)}"
    per = "hari" if a.unit == "hari" else a.unit
    national = f"{number(a.jp_national or 0.0)} JP/{per}"
    if a.jp_international is not None:
        return national, f"{number(a.jp_international)} JP/{per}"
    factor = a.international_multiplier or 1.0
    return (
        national,
        f"{number(round((a.jp_national or 0.0) * factor, 2))} JP/{per} ({number(factor)} x nasional)",
    )


def _limit(a: Activity) -> str:
    return f"{a.max_per_month} {a.unit}/bulan" if a.max_per_month else "-"


def describe(profile: Profile) -> str:
    """The profile as text: who and what it is, then one line per activity, columns aligned."""
    deadline = (
        f"Batas pelaporan: {profile.report_deadline_months} bulan setelah kegiatan."
        if profile.report_deadline_months
        else "Tanpa batas pelaporan per sesi (LATE_REPORT tidak diperiksa)."
    )
    rows = [HEADERS, *conversion_rows(profile)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    table = [" | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    scores = ", ".join(f"{k} {number(v)}" for k, v in profile.indicator_20jp.items())
    recipients = "hanya PNS (PENERIMA_PPPK)" if profile.session_recipients_pns_only else "PNS dan PPPK"
    return "\n".join(
        [
            f"Profil {profile.id}: {profile.name} (versi {profile.version})",
            f"Dasar: {profile.basis}",
            f"Target setahun: {number(profile.yearly_target_jp)} JP. {deadline}",
            f"Penerima coaching/mentoring: {recipients}.",
            f"Indikator IP ASN ({profile.ip_asn_basis}): {scores}.",
            *table,
        ]
    )
