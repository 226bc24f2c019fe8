"""One logistic fit by statsmodels on the file bench/compare.sh times
ccstudy's fit on (logit's BenchmarkIRLSFromCSV): GLM(Binomial).fit(), its
IRLS, with the standard errors (bse). Prints the median seconds per fit of
REPS fits, reading the file untimed.

Usage: python3 bench/statsmodels_fit.py FILE REPS
"""
import statistics
import sys
import time

import numpy as np
import statsmodels.api as sm

path, reps = sys.argv[1], int(sys.argv[2])
d = np.loadtxt(path, delimiter=",", skiprows=1)
y, X = d[:, 0], sm.add_constant(d[:, 1:])
times = []
for _ in range(reps):
    t = time.perf_counter()
    res = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    _ = res.bse
    times.append(time.perf_counter() - t)
print("%.6f %d %s" % (statistics.median(times), res.fit_history["iteration"], sm.__version__))
