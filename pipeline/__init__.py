"""rekap-jp: year-end recap of ASN competency development (20 JP) from OPD coaching/mentoring workbooks."""

import os

# pyarrow allocates every typed column through its default memory pool, chosen when pyarrow loads. Its
# default since Arrow 17, mimalloc, made this pipeline about 15% slower on the 200k-row case than the C
# library's malloc, which every platform has (decision 102). An analyst's own setting is kept.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

__version__ = "0.1.0"
