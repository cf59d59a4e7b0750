# BenchmarkDotNet's brief JSON report -> Markdown: medians per engine, then the ratios and issue 18's goals
# (batch-1 latency <= 0.5x ONNX Runtime fp32 and <= 0.7x ONNX Runtime int8; batch-256 throughput
# >= 2x ONNX Runtime fp32 and >= 1.5x ONNX Runtime int8), then the kernel peak (KernelBenchmarks) and every
# engine's batch-256 GMAC/s as a fraction of it ($macs, macs.json: multiply-adds per image of each model and per invocation of each kernel). Statistics are in nanoseconds.
def params: .Parameters | split("&") | map(split("=") | {(.[0]): .[1]}) | add;
def fixed($digits): (. * pow(10; $digits) | round | tostring) as $n
  | if $digits == 0 then $n
    else ("0" * ($digits + 1 - ($n | length)) + $n) as $p | $p[:-$digits] + "." + $p[-$digits:] end;
def goal($ok): if $ok then "met" else "missed" end;

$macs[0].kernels as $kernelMacs
| [.Benchmarks[] | select(.Type == "KernelBenchmarks") | params + {median: .Statistics.Median}] as $kernels
| [.Benchmarks[] | select(.Type == "EngineBenchmarks") | params + {method: .Method, median: .Statistics.Median}] as $rows
| def median($model; $threads; $engine; $method):
    [$rows[] | select(.Model == $model and .Threads == $threads and .Engine == $engine and .method == $method) | .median][0];
  ["lenet5", "cnn"] as $models | ["1", "2"] as $threads
  | [ $models[] as $m | $threads[] as $t
      | { model: $m, threads: $t,
          lat: ([ "fast", "ort-fp32", "ort-int8" ] | map(median($m; $t; .; "Batch1") / 1e3)),
          thr: ([ "fast", "ort-fp32", "ort-int8" ] | map(256 / (median($m; $t; .; "Batch256") / 1e9))) } ] as $table
  | "| model | threads | batch-1 FastEngine (us) | batch-1 ORT fp32 (us) | batch-1 ORT int8 (us) | batch-256 FastEngine (images/s) | batch-256 ORT fp32 (images/s) | batch-256 ORT int8 (images/s) |",
    "|---|---|---|---|---|---|---|---|",
    ($table[] | "| \(.model) | \(.threads) | \(.lat[0] | fixed(1)) | \(.lat[1] | fixed(1)) | \(.lat[2] | fixed(1)) | \(.thr[0] | fixed(0)) | \(.thr[1] | fixed(0)) | \(.thr[2] | fixed(0)) |"),
    "",
    "| model | threads | latency FastEngine / ORT fp32 (goal <= 0.5) | latency FastEngine / ORT int8 (goal <= 0.7) | throughput FastEngine / ORT fp32 (goal >= 2) | throughput FastEngine / ORT int8 (goal >= 1.5) |",
    "|---|---|---|---|---|---|",
    ($table[]
      | (.lat[0] / .lat[1]) as $lf | (.lat[0] / .lat[2]) as $li | (.thr[0] / .thr[1]) as $tf | (.thr[0] / .thr[2]) as $ti
      | "| \(.model) | \(.threads) | \($lf | fixed(2)) (\(goal($lf <= 0.5))) | \($li | fixed(2)) (\(goal($li <= 0.7))) | \($tf | fixed(2)) (\(goal($tf >= 2))) | \($ti | fixed(2)) (\(goal($ti >= 1.5))) |"),
    (if ($kernels | length) == 0 then empty else
    "",
    "Kernel peak (KernelBenchmarks: one multiply-add chained on 8 accumulators, operands in registers), GMAC/s:",
    "",
    "| kernel | threads | GMAC/s |",
    "|---|---|---|",
    ($kernels[] | "| \(.Kernel) | \(.Threads) | \(($kernelMacs[.Kernel] * (.Threads | tonumber) / .median) | fixed(1)) |"),
    "",
    "Batch-256 GMAC/s of every engine (multiply-adds per image x images/s) and the fraction of the best kernel peak at the same thread count:",
    "",
    "| model | threads | FastEngine | ORT fp32 | ORT int8 | FastEngine / peak | ORT fp32 / peak | ORT int8 / peak |",
    "|---|---|---|---|---|---|---|---|",
    ($table[] | .threads as $t | .model as $m
      | ([$kernels[] | select(.Threads == $t) | $kernelMacs[.Kernel] * ($t | tonumber) / .median] | max) as $peak
      | (.thr | map(. * $macs[0].models[$m] / 1e9)) as $g
      | "| \(.model) | \(.threads) | \($g[0] | fixed(1)) | \($g[1] | fixed(1)) | \($g[2] | fixed(1)) | \($g[0] / $peak | fixed(2)) | \($g[1] / $peak | fixed(2)) | \($g[2] / $peak | fixed(2)) |")
    end)
