# Summary of OverheadBench lines (side=<raw|ha> op=<name> ops_s=<n> ops_cpu_s=<n>): per op the
# median of each side and their ratios, then the same with each side's best round.
function median(list,   a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ side = substr($1, 6); split($2, o, "="); split($3, v, "="); split($4, c, "="); op = o[2]
  if (!(op in seen)) { seen[op] = 1; order[n++] = op }
  ops[side, op] = ops[side, op] " " v[2]; cpus[side, op] = cpus[side, op] " " c[2]
  if (v[2] + 0 > best[side, op] + 0) best[side, op] = v[2]
  if (c[2] + 0 > bestCpu[side, op] + 0) bestCpu[side, op] = c[2] }
END {
  for (i = 0; i < n; i++) { op = order[i]
    r = median(ops["raw", op]); h = median(ops["ha", op])
    printf "op=%s raw_ops_s=%s ha_ops_s=%s ratio=%.3f cpu_ratio=%.3f\n", op, r, h, h / r,
        median(cpus["ha", op]) / median(cpus["raw", op]) }
  for (i = 0; i < n; i++) { op = order[i]
    printf "# best op=%s raw_ops_s=%s ha_ops_s=%s ratio=%.3f cpu_ratio=%.3f\n", op, best["raw", op], best["ha", op],
        best["ha", op] / best["raw", op], bestCpu["ha", op] / bestCpu["raw", op] } }
