// The Poisson upper tail P(N ≥ n | μ), summed in log space so small tails stay exact enough to
// compare with alarm levels like 1e-4.

export function poissonUpperTail(n: number, mu: number): number {
  if (n <= 0) return 1;
  if (!(mu > 0)) return 0;
  // log of the first term: −μ + n·ln μ − ln n!
  let logTerm = -mu + n * Math.log(mu) - logFactorial(n);
  let sum = 0;
  for (let k = n; k < n + 1000; k++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term < sum * 1e-12 && k > mu) break;
    logTerm += Math.log(mu) - Math.log(k + 1);
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}
