// `npm run eval` (tsx eval/run.ts [seed] [--days N] [--only tickets|closed-loop]): every
// evaluation with its figures; exits 1 when a target is missed, so it can gate a change.
//   - ticket understanding over a simulated season (issue 5, first half);
//   - the closed loop over the simulated city around a cold snap: fault-caused tickets linked to
//     their fault's alert, in-home tickets unexplained, tail-end episodes visited before their
//     first complaint and the lead (issue 5, second half). About two minutes on two cores.

import { loadNetwork } from '../domain/network-loader';
import { evaluateClosedLoop } from './closed-loop';
import { evaluateTickets } from './tickets';

const NETWORK = new URL('../fixtures/networks/jiayuguan.json', import.meta.url).pathname;

function usage(why: string): never {
  console.error(`${why}\nusage: tsx eval/run.ts [seed] [--days N] [--only tickets|closed-loop]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let seed = 7;
let days = 5;
let only: 'tickets' | 'closed-loop' | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === '--days') {
    days = Number(args[++i]);
    if (!(days >= 2 && days <= 30)) usage(`--days must be a number of days in 2..30, got ${args[i]}`);
  } else if (a === '--only') {
    const v = args[++i];
    if (v !== 'tickets' && v !== 'closed-loop') usage(`--only must be tickets or closed-loop, got ${v}`);
    only = v;
  } else if (/^-?\d+$/.test(a)) seed = Number(a);
  else usage(`unknown argument ${a}`);
}

const network = loadNetwork(NETWORK);
let pass = true;
if (only !== 'closed-loop') {
  console.log('== Ticket understanding (issue 5) ==');
  const tickets = await evaluateTickets(network, seed);
  for (const line of tickets.lines) console.log(line);
  pass &&= tickets.pass;
}
if (only !== 'tickets') {
  console.log();
  console.log('== Correlation and proactive visits (issue 5) ==');
  const loop = await evaluateClosedLoop(network, { seed, days, log: (l) => console.error(l) });
  for (const line of loop.lines) console.log(line);
  pass &&= loop.pass;
}
process.exit(pass ? 0 : 1);
