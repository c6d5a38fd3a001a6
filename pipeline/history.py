"""What an earlier run of the same year left in the output folder: its figures, to say what changed
(sheet Perubahan), and its files, moved to riwayat/<YYYYMMDD-HHMMSS>/ before a new run replaces them.

Nothing of an earlier run is deleted. The earlier run is known by the files it wrote: the outputs its
manifest lists (and the manifest), else the recap and IP ASN workbooks of that year.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import python_calamine as pc

from pipeline.findings import where_rows
from pipeline.manifest import manifest_path, read_manifest
from pipeline.summarise import status_20jp
from pipeline.terms import BELUM, DIGANTI, DIHITUNG, NOT_APPLICABLE_PPPK

HISTORY_FOLDER = "riwayat"
# Sheets an earlier run wrote and this one reads back: the writer (pipeline.outputs) names them from here.
PEOPLE_SHEET = "Rekap Pegawai"  # in rekap_<TAHUN>.xlsx
INDIKATOR_SHEET = "Indikator Kompetensi"  # in ip_asn_<TAHUN>.xlsx: who is PPPK
FALLBACK_FOLDERS = ("validasi", "kirim_opd")  # what a run writes below the output folder, year or not
PEOPLE_COLUMNS = ["NIP", "Nama", "Perangkat Daerah", "JP Total", "Status 20 JP"]
CHANGE_COLUMNS = [
    "NIP",
    "Nama",
    "Perangkat Daerah",
    "JP Total Sebelumnya",
    "JP Total Sekarang",
    "Selisih",
    "Status 20 JP Sebelumnya",
    "Status 20 JP Sekarang",
    "Sebab Perubahan",
]
DETAIL_SHEET = "Detail Kegiatan"  # and its continuations "Detail Kegiatan (2)", ...
# What a session's explanation reads of Detail Kegiatan, in this run and the earlier one.
SESSION_FIELDS = ["File", "Sheet", "Baris", "Jenis", "Tanggal", "NIP Penerima", "NIP Pembimbing", "Status",
                  "Keterangan", "JP"]  # fmt: skip
SESSION_JENIS = ("Coaching", "Mentoring")  # counted in sessions; the other activities are "kegiatan"
REASONS_LISTED = 12  # a row's Sebab Perubahan names this many changes, then how many more


@dataclass
class PreviousRun:
    rekap: Path  # its rekap_<TAHUN>.xlsx, where it lies now (read back for Perubahan)
    stamp: str  # YYYYMMDD-HHMMSS: when that run wrote its manifest (or its recap)
    folder: Path  # riwayat/<stamp>[-n]/ in the output folder: where its files will move (not there yet)
    files: list[Path]  # what it wrote, as it lies in the output folder now
    people: pd.DataFrame | None  # its Rekap Pegawai (PEOPLE_COLUMNS), None when unreadable
    headline: dict[str, int | None] = field(default_factory=dict)
    kinds: pd.Series | None = None  # NIP -> PNS / PPPK as its IP ASN workbook shows them (None: unreadable)


def own_outputs(output: Path, year: int, manifest: dict[str, Any] | None) -> list[Path]:
    """The files of the year's run in `output`: those its manifest lists, else (no manifest, or one that
    cannot be read) the year's workbooks and everything under validasi/ and kirim_opd/."""
    manifest_file = manifest_path(output, year)
    outputs = manifest.get("outputs") if manifest else None  # a manifest edited by hand may hold anything
    listed = [o.get("path") for o in outputs if isinstance(o, dict)] if isinstance(outputs, list) else []
    names = [p for p in listed if isinstance(p, str)]
    if names:
        found = [output / n for n in names if _inside(output, output / n) and (output / n).is_file()]
    else:
        known = [f"rekap_{year}.xlsx", f"ip_asn_{year}.xlsx", f"detail_kegiatan_{year}.parquet"]
        found = [output / n for n in known if (output / n).is_file()]
        if found:  # a recap of this year is there: its folders are that run's too
            found += sorted(
                p
                for folder in (*FALLBACK_FOLDERS, f"sertifikat_{year}", f"kartu_{year}")
                for p in (output / folder).rglob("*")
                if p.is_file()
            )
    return found + ([manifest_file] if manifest_file.is_file() else [])


def find_previous(output: Path, year: int) -> PreviousRun | None:
    manifest_file = manifest_path(output, year)
    manifest = read_manifest(manifest_file) if manifest_file.is_file() else None
    files = own_outputs(output, year, manifest)
    if not files:
        return None
    clock = manifest_file if manifest_file.is_file() else files[0]
    stamp = stamp_of([clock])
    people = read_people(output / f"rekap_{year}.xlsx")
    manifest = manifest or {}
    headline = {
        "met": None if people is None else int(people["Status 20 JP"].ne(BELUM).sum()),
        "counted": _count(manifest.get("counted")),
        "kesalahan": _count(findings.get("kesalahan"))
        if isinstance(findings := manifest.get("findings"), dict)
        else None,
    }
    rekap = output / f"rekap_{year}.xlsx"
    kinds = read_kinds(output / f"ip_asn_{year}.xlsx")
    return PreviousRun(
        rekap, stamp, free_folder(output / HISTORY_FOLDER, stamp), files, people, headline, kinds
    )


def _count(value: object) -> int | None:
    """A count an earlier manifest gives, if it is one."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def asn_kinds(indikator: pd.DataFrame) -> pd.Series:
    """NIP -> PNS or PPPK, as an Indikator Kompetensi table shows them (a PPPK's indicator does not apply)."""
    pppk = indikator["Nilai Indikator 20 JP"].astype("string").eq(NOT_APPLICABLE_PPPK).fillna(False)
    return pd.Series(np.where(pppk, "PPPK", "PNS"), index=indikator["NIP"].astype(str).to_numpy())


def read_kinds(ip_asn: Path) -> pd.Series | None:
    try:
        frame = read_sheet(ip_asn, INDIKATOR_SHEET)
    except (pc.CalamineError, OSError, ValueError):
        return None
    return asn_kinds(frame) if {"NIP", "Nilai Indikator 20 JP"} <= set(frame.columns) else None


def read_people(rekap: Path) -> pd.DataFrame | None:
    """NIP, Nama, Perangkat Daerah, JP Total, Status 20 JP of an earlier recap (None if it cannot be read)."""
    try:
        frame = read_sheet(rekap, PEOPLE_SHEET)
    except (pc.CalamineError, OSError, ValueError):
        return None
    if not set(PEOPLE_COLUMNS) <= set(frame.columns):
        return None
    frame = frame[PEOPLE_COLUMNS].copy()
    frame["JP Total"] = pd.to_numeric(frame["JP Total"], errors="coerce").fillna(0.0).round(2)
    return frame


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """A sheet of an earlier output (header row 1) as a frame, NIP as text; calamine's errors pass through."""
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    frame = pd.DataFrame(rows[1:], columns=rows[0]) if rows else pd.DataFrame()
    if "NIP" in frame.columns:
        frame["NIP"] = frame["NIP"].astype(str)
    return frame


def changes(
    before: pd.DataFrame,
    now: pd.DataFrame,
    target: float,
    kinds: tuple[pd.Series | None, pd.Series | None] = (None, None),
) -> pd.DataFrame:
    """Sheet Perubahan: every employee whose JP Total, Status 20 JP, Perangkat Daerah or PNS/PPPK status
    (`kinds`: before and now, asn_kinds) moved, or who came into or left the recap, by OPD then NIP; Sebab
    Perubahan says which of these (with_sessions adds the sessions behind it).

    An employee new in this run counts as 0 JP before; one gone from it (say a NIP corrected) as 0 JP now.
    """
    merged = before[PEOPLE_COLUMNS].merge(
        now[PEOPLE_COLUMNS], on="NIP", how="outer", suffixes=(" Sebelumnya", " Sekarang"), indicator=True
    )
    jp_before = merged["JP Total Sebelumnya"].astype("float64").fillna(0.0).round(2)
    jp_now = merged["JP Total Sekarang"].astype("float64").fillna(0.0).round(2)
    status_before = merged["Status 20 JP Sebelumnya"].fillna(status_20jp(jp_before, target))
    status_now = merged["Status 20 JP Sekarang"].fillna(status_20jp(jp_now, target))
    opd_before, opd_now = merged["Perangkat Daerah Sebelumnya"], merged["Perangkat Daerah Sekarang"]
    out = pd.DataFrame(
        {
            "NIP": merged["NIP"].astype("string"),
            "Nama": merged["Nama Sekarang"].fillna(merged["Nama Sebelumnya"]).astype("string"),
            "Perangkat Daerah": opd_now.fillna(opd_before).astype("string"),
            "JP Total Sebelumnya": jp_before,
            "JP Total Sekarang": jp_now,
            "Selisih": (jp_now - jp_before).round(2),
            "Status 20 JP Sebelumnya": status_before.astype("string"),
            "Status 20 JP Sekarang": status_now.astype("string"),
        }
    )
    moved_opd = merged["_merge"].eq("both") & opd_before.ne(opd_now).fillna(False)
    nips = merged["NIP"].astype(str)
    kind_before, kind_now = (
        (nips.map(k) if k is not None else pd.Series(pd.NA, index=merged.index)).astype("string")
        for k in kinds
    )
    moved_kind = (kind_before.notna() & kind_now.notna() & kind_before.ne(kind_now)).fillna(False)
    facts = [
        (moved_kind, "Status ASN: " + kind_before + " → " + kind_now),
        (merged["_merge"].eq("right_only"), "baru di Rekap Pegawai"),
        (merged["_merge"].eq("left_only"), "tidak ada lagi di Rekap Pegawai"),
        (moved_opd, "Perangkat Daerah: " + opd_before.astype("string") + " → " + opd_now.astype("string")),
    ]  # fmt: skip
    moved = out["Selisih"].ne(0) | out["Status 20 JP Sebelumnya"].ne(out["Status 20 JP Sekarang"])
    moved |= merged["_merge"].ne("both") | moved_opd | moved_kind
    kept = moved.to_numpy()  # the facts are said for the employees that moved only, not the whole roster
    said = [
        (hit.to_numpy()[kept], np.broadcast_to(np.asarray(text, dtype=object), len(hit))[kept])
        for hit, text in facts
    ]
    out = out[moved].assign(
        **{"Sebab Perubahan": ["; ".join(str(t[i]) for h, t in said if h[i]) for i in range(int(kept.sum()))]}
    )
    out = out.sort_values(["Perangkat Daerah", "NIP"], kind="stable", ignore_index=True)
    return out[CHANGE_COLUMNS]


def with_sessions(moved: pd.DataFrame, why: dict[str, list[str]]) -> pd.DataFrame:
    """Perubahan with each employee's session changes (session_reasons) after the facts changes() found;
    the first REASONS_LISTED of them, then how many more."""
    texts = []
    for nip, facts in zip(moved["NIP"].astype(str), moved["Sebab Perubahan"], strict=True):
        said = [*([facts] if facts else []), *why.get(nip, [])]
        more = len(said) - REASONS_LISTED
        texts.append("; ".join(said[:REASONS_LISTED]) + (f"; dan {more} perubahan lain" if more > 0 else ""))
    return moved.assign(**{"Sebab Perubahan": texts})


def read_detail(rekap: Path, nips: set[str]) -> pd.DataFrame | None:
    """The SESSION_FIELDS of an earlier recap's Detail Kegiatan rows (every continuation sheet) whose
    recipient is one of `nips`, row by row (a big recap is never held whole); None when it cannot be read."""
    try:
        book = pc.CalamineWorkbook.from_path(str(rekap))
        kept: list[list[Any]] = []
        for name in book.sheet_names:
            if name != DETAIL_SHEET and not name.startswith(f"{DETAIL_SHEET} ("):
                continue
            rows = book.get_sheet_by_name(name).iter_rows()
            header = [str(h) for h in next(rows, [])]
            if not set(SESSION_FIELDS) <= set(header):
                return None
            at = [header.index(f) for f in SESSION_FIELDS]
            nip = header.index("NIP Penerima")
            kept += [[row[i] for i in at] for row in rows if str(row[nip]) in nips]
    except (pc.CalamineError, OSError, ValueError):
        return None
    detail = pd.DataFrame(kept, columns=SESSION_FIELDS)
    return detail.assign(Baris=pd.to_numeric(detail["Baris"], errors="coerce").astype("Int64"))


def session_reasons(before: pd.DataFrame, now: pd.DataFrame) -> dict[str, list[str]]:
    """Per recipient NIP, in words: the sessions counted now and not before (+), counted before and not now
    (−), each with its file and row and the decision behind it, and counted JP that changed. A session is
    one (Jenis, Tanggal, recipient, pembimbing) wherever it was reported. Frames: SESSION_FIELDS."""
    was, now_ = _keyed(before), _keyed(now)
    counted_was = was[was["Status"].eq(DIHITUNG)].drop_duplicates("key")
    counted_now = now_[now_["Status"].eq(DIHITUNG)].drop_duplicates("key")
    said: dict[str, list[str]] = {}
    added = counted_now[~counted_now["key"].isin(counted_was["key"])]
    gone = counted_was[~counted_was["key"].isin(counted_now["key"])]
    before_, after_ = _decisions(was), _decisions(now_)
    added = added.assign(why=[f" (sebelumnya: {before_[k]})" if k in before_ else "" for k in added["key"]])
    gone = gone.assign(
        why=[
            f" (sekarang: {after_[k]})" if k in after_ else " (tidak ada lagi di berkas mana pun)"
            for k in gone["key"]
        ]
    )
    for sign, verb, rows in (("+", "dihitung", added), ("−", "tidak dihitung lagi", gone)):
        for (nip, jenis, why), own in rows.groupby(["NIP Penerima", "Jenis", "why"], sort=True):
            unit = "sesi" if jenis in SESSION_JENIS else "kegiatan"
            said.setdefault(str(nip), []).append(
                f"{sign}{len(own)} {unit} {jenis} {verb}: {_where(own)}{why}"
            )
    both = counted_now.merge(counted_was[["key", "JP"]], on="key", suffixes=("", " Sebelumnya"))
    for nip, jenis, jp_was, jp, file, sheet, row in both.loc[
        both["JP"].astype(float).round(2).ne(both["JP Sebelumnya"].astype(float).round(2)),
        ["NIP Penerima", "Jenis", "JP Sebelumnya", "JP", "File", "Sheet", "Baris"],
    ].itertuples(index=False):
        said.setdefault(str(nip), []).append(
            f"JP {jenis} {jp_was:g} → {jp:g}: {file}, sheet {sheet}, baris {row}"
        )
    return said


def _keyed(detail: pd.DataFrame) -> pd.DataFrame:
    """Detail rows with a session key: the date as a date where it is one, else as typed."""
    when = pd.to_datetime(detail["Tanggal"], errors="coerce", dayfirst=True)
    day = when.dt.strftime("%Y-%m-%d").fillna(detail["Tanggal"].astype("string").fillna(""))
    parts = [detail["Jenis"].astype("string").fillna(""), day, detail["NIP Penerima"].astype("string").fillna(""),
             detail["NIP Pembimbing"].astype("string").fillna("")]  # fmt: skip
    return detail.assign(key=parts[0] + "|" + parts[1] + "|" + parts[2] + "|" + parts[3])


def _where(rows: pd.DataFrame) -> str:
    return where_rows(rows.rename(columns={"File": "file", "Sheet": "sheet", "Baris": "row"}))


def _decisions(rows: pd.DataFrame) -> dict[str, str]:
    """key -> what became of a session not counted in that run: its note (else its status), a decision
    other than a revision's preferred (the older version's row of a session is always replaced)."""
    found = rows[rows["Status"].ne(DIHITUNG)]
    found = found.assign(_later=found["Status"].eq(DIGANTI)).sort_values("_later", kind="stable")
    found = found.drop_duplicates("key")
    note = found["Keterangan"].astype("string").fillna("")
    return dict(zip(found["key"], note.where(note.ne(""), found["Status"].astype("string")), strict=True))


def free_folder(history: Path, stamp: str) -> Path:
    """riwayat/<stamp>, or <stamp>-2, -3 … when two runs share a second."""
    target, suffix = history / stamp, 1
    while target.exists():
        suffix += 1
        target = history / f"{stamp}-{suffix}"
    return target


def archive(output: Path, previous: PreviousRun) -> Path:
    """Move the earlier run's files to previous.folder (same relative paths); returns that folder."""
    return move_to_history(output, previous.files, previous.folder)


def move_to_history(output: Path, files: list[Path], folder: Path) -> Path:
    """Move `files` into `folder` under their paths relative to `output`; folders they leave empty go."""
    for path in files:
        if not path.is_file():
            continue
        destination = folder / path.relative_to(output)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
        _remove_empty_parents(path.parent, output)
    return folder


def stamp_of(files: list[Path]) -> str:
    """YYYYMMDD-HHMMSS of the newest of `files`: the name of their folder under riwayat/."""
    return dt.datetime.fromtimestamp(max(p.stat().st_mtime for p in files)).strftime("%Y%m%d-%H%M%S")


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and _inside(stop, folder) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
