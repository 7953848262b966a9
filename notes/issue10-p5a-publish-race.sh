#!/usr/bin/env bash
# usage: race.sh PODIUM FOLDER ROUNDS — two `publish` of FOLDER at once on a fresh home per round
bin=$1; folder=$2; rounds=$3; work=$(mktemp -d)
fail=0; exit3=0
for r in $(seq 1 "$rounds"); do
  home=$work/h$r
  "$bin" publish "$folder" --json --home "$home" >"$work/a$r" 2>&1 & p1=$!
  "$bin" publish "$folder" --json --home "$home" >"$work/b$r" 2>&1 & p2=$!
  wait $p1; s1=$?; wait $p2; s2=$?
  if [ $s1 -ne 0 ] || [ $s2 -ne 0 ]; then fail=$((fail+1)); fi
  if [ $s1 -eq 3 ] || [ $s2 -eq 3 ]; then exit3=$((exit3+1)); grep -h -o '"error": {"code": "[^"]*", "message": "[^"]\{0,80\}' "$work/a$r" "$work/b$r" | head -1; fi
done
echo "rounds=$rounds rounds_with_a_failure=$fail rounds_with_exit_3=$exit3"
rm -rf "$work"
