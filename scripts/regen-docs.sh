#!/bin/sh
# Regenerates the docs vigil writes itself from the build in ./build: the detector catalog,
# the query tables, and the log rule table (keeping the hand-written part of LOG_RULES.md that
# follows its marker line). Run after changing a rule, a table or the catalog.
set -eu
cd "$(dirname "$0")/.."
vigil=./build/vigil
"$vigil" rules --markdown > docs/DETECTORS.md
"$vigil" query --tables --markdown > docs/TABLES.md
marker='<!-- The table above is generated (scripts/regen-docs.sh); what follows is written by hand. -->'
tail_part=$(mktemp)
trap 'rm -f "$tail_part"' EXIT
if grep -qxF "$marker" docs/LOG_RULES.md; then
  sed -n "\|^$marker\$|,\$p" docs/LOG_RULES.md > "$tail_part"
else
  printf '%s\n' "$marker" > "$tail_part"
fi
{ "$vigil" logs rules --markdown; echo; cat "$tail_part"; } > docs/LOG_RULES.md.new
mv docs/LOG_RULES.md.new docs/LOG_RULES.md
