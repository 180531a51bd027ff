#!/bin/sh
# SPDX-License-Identifier: MIT
# Plot VM_BIND cost per op against the number of live mappings, from the rows written by
# `panthor_bind_bench --plot-data FILE`, as an SVG (gnuplot, Debian package gnuplot-nox). The
# title says what was measured (the data's "# target:" line: the vpanthor model or a driver);
# text is plain (no gnuplot markup: VM_BIND stays VM_BIND).
# Usage: benchmarks/plot-bind-cost.sh DATA OUT.svg [TITLE]
set -eu
data=${1:?usage: plot-bind-cost.sh DATA OUT.svg [TITLE]}
out=${2:?usage: plot-bind-cost.sh DATA OUT.svg [TITLE]}
[ -r "$data" ] || { echo "plot-bind-cost: cannot read $data" >&2; exit 2; }
# what the numbers describe (the model or a driver), from the data's "# target:" line
target=$(sed -n 's/^# target: //p' "$data" | head -n 1)
title=${3:-VM_BIND map+unmap cost per op vs live mappings${target:+ on $target}}
command -v gnuplot >/dev/null || { echo "plot-bind-cost: gnuplot is not installed" >&2; exit 2; }
gnuplot <<GP
set terminal svg size 800,480 dynamic font "sans,12" noenhanced
set output "$out"
set title "$title"
set logscale x 10
set xlabel "live mappings in the VM"
set ylabel "microseconds per op"
# the axes span the data, not zero up
set autoscale xfix
set autoscale y
set offsets 0, 0, graph 0.05, graph 0.05
set grid
set key top left
plot "$data" using 1:2 with linespoints lw 2 pt 7 title "trimean", \
     "$data" using 1:3 with linespoints lw 1 pt 6 dt 2 title "p99"
GP
echo "plot-bind-cost: wrote $out"
