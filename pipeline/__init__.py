"""rekap-jp: year-end recap of ASN competency development (20 JP) from OPD coaching/mentoring workbooks."""

__version__ = "0.1.0"
