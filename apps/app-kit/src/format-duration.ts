/** A duration for people: "850 ms", "2.41 s". */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1) return '< 1 ms';
  // 999.5 ms and above round to 1000 ms: show those as seconds.
  if (milliseconds < 999.5) return `${Math.round(milliseconds)} ms`;
  return `${(milliseconds / 1000).toFixed(2)} s`;
}
