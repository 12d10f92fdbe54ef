"""Cost per payment of reading ``[billing]`` as in force on the day (``services.branch_policy.read_policy``),
beside parsing the file's table alone (what a payment cost before: nothing, it was parsed once at start).
Prints median and p99 in microseconds, nothing published and one table published.

    python tests/perf/bench_policy_read.py"""
import tempfile, time, statistics, json
from pathlib import Path
from datetime import date
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.services.node import open_node_database
from counter_app.services.branch_policy import read_policy
from counter_app.services.billing.policy import billing_policy
from sqlalchemy import text
folder = tempfile.TemporaryDirectory()
d=Path(folder.name)
db=open_node_database(DataPaths(d).ensure(), Settings())
s=Settings()
def run(n=3000):
    ts=[]; base=[]
    with db.sessions() as session:
        for _ in range(n):
            t=time.perf_counter(); billing_policy(s); base.append(time.perf_counter()-t)
            t=time.perf_counter(); read_policy(billing_policy, s, session, date(2027,1,1)); ts.append(time.perf_counter()-t)
    ts.sort(); base.sort()
    return "before (billing_policy(settings) once at start, 0 per payment; parse alone median %.1f us) -> read_policy median %.1f us p99 %.1f us" % (
        statistics.median(base)*1e6, statistics.median(ts)*1e6, ts[int(len(ts)*.99)]*1e6)
print("nothing published:", run())
with db.engine.begin() as c:
    c.execute(text('INSERT INTO ref_policy (name, "values", hq_version) VALUES (:n, :v, 5)'),
              {"n": "billing", "v": json.dumps({"dated": [{"from": "2026-01-01", "allocation": [{"from": "2026-01-01", "late_fee_first": False}]}]})})
print("one table published:", run())
db.dispose()
folder.cleanup()
