// What the benchmark scripts (bench.mjs, bench-direct.mjs, bench-next.mjs) share: the network/CPU conditions
// Logto's own page was measured under, and the statistics they print.

/** P0 = no throttling; P1 = 100 ms latency, 9 Mbit/s down, 1.5 Mbit/s up (CDP emulation), CPU ×4. */
export const CONDITIONS = {
  P0: { name: 'P0', throttle: false },
  P1: { name: 'P1', throttle: true, latency: 100, down: 9_000_000 / 8, up: 1_500_000 / 8, cpu: 4 },
};

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
