// `npm run eval` (tsx eval/run.ts [seed]): every evaluation with its figures; exits 1 when a
// target is missed, so it can gate a change. Today: ticket understanding (issue 5).

import { loadNetwork } from '../domain/network-loader';
import { evaluateTickets } from './tickets';

const NETWORK = new URL('../fixtures/networks/jiayuguan.json', import.meta.url).pathname;

const seed = Number(process.argv[2] ?? 7);
if (!Number.isInteger(seed)) {
  console.error(`usage: tsx eval/run.ts [seed]  (seed must be an integer, got ${process.argv[2]})`);
  process.exit(2);
}
const network = loadNetwork(NETWORK);
console.log('== Ticket understanding (issue 5) ==');
const tickets = await evaluateTickets(network, seed);
for (const line of tickets.lines) console.log(line);
process.exit(tickets.pass ? 0 : 1);
