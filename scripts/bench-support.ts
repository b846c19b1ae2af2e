// What the benchmarks share: summaries of timings.
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `median ${percentile(s, 50).toFixed(2)} ms, p95 ${percentile(s, 95).toFixed(2)} ms, min ${s[0].toFixed(2)} ms (${s.length} runs)`;
};
