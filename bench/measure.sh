# Sourced by the bench scripts. measure NAME RUNS CMD...: runs CMD RUNS times (stdout to
# $work/out.txt, stderr to $work/err.txt) and prints the median wall time and the peak RSS;
# the median is also left in $work/last.txt. Needs $work.
measure() {
  local name=$1 runs=$2; shift 2
  local times=() mem=0
  for _ in $(seq "$runs"); do
    # stdout to a file: GNU grep stops at the first match when it writes to /dev/null
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || true
    read -r t m < <(tail -1 "$work/time.txt")
    times+=("$t"); (( m > mem )) && mem=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-52s %8.2f s %8d MB\n' "$name" "$median" $((mem / 1024))
  echo "$median" > "$work/last.txt"
}
