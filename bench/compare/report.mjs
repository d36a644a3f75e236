// Prints the bench/compare table from the result lines of one run (loadgen.mjs output, plus lines run.sh writes for
// targets that could not start) and writes them, with the ratios and the run's conditions, to a JSON file.
// Usage: node report.mjs RESULTS.jsonl OUT.json [--meta JSON]
// Exit code 0 when every row committed all its transactions, 1 otherwise (run.sh --smoke relies on it).
import fs from 'node:fs';

const [resultsFile, outFile, ...rest] = process.argv.slice(2);
if (!resultsFile || !outFile) {
  console.error('usage: node report.mjs RESULTS.jsonl OUT.json [--meta JSON]');
  process.exit(2);
}
const meta = rest[0] === '--meta' && rest[1] ? JSON.parse(rest[1]) : {};
const rows = fs.readFileSync(resultsFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l, i) => {
  try {
    return JSON.parse(l);
  } catch (e) {
    throw new Error(`${resultsFile} line ${i + 1} is not JSON: ${e.message}`);
  }
});

const PEERS = ['hardhat', 'ganache'];
// Goals from issue 7: Trellis Solo at least 4x Hardhat's TPS, HotStuff with 4 validators at least 2x, same run.
const GOALS = { 'trellis-solo': 4, 'trellis-hotstuff': 2 };
const isTrellis = (row) => row.target.startsWith('trellis');
const ok = (row) => !row.unavailable && row.committed === row.txs && row.rejected === 0 && row.wrongHashes === 0;
const find = (target, workload) => rows.find((r) => r.target === target && r.workload === workload && ok(r));
const mib = (kb) => (kb == null ? null : Math.round(kb / 1024));
const ratio = (a, b) => (a == null || b == null || b === 0 ? null : Number((a / b).toFixed(2)));
const text = (v, suffix = '') => (v == null ? '-' : `${v}${suffix}`);

const ratios = [];
for (const row of rows) {
  if (!isTrellis(row) || !ok(row)) continue;
  for (const peer of PEERS) {
    const other = find(peer, row.workload);
    if (!other) continue;
    ratios.push({
      trellis: row.target, peer, workload: row.workload,
      tps: ratio(row.tps, other.tps), txPerCpuSecond: ratio(row.txPerCpuSecond, other.txPerCpuSecond),
      p99: ratio(row.p99Ms, other.p99Ms), peakRss: ratio(row.peakRssKb, other.peakRssKb),
    });
  }
}
const goals = [];
for (const [target, factor] of Object.entries(GOALS)) {
  for (const workload of ['transfer', 'erc20']) {
    const t = find(target, workload);
    const h = find('hardhat', workload);
    if (!t || !h) continue;
    goals.push({ target, workload, goal: `>= ${factor}x hardhat TPS`, ratio: ratio(t.tps, h.tps), met: t.tps >= factor * h.tps });
  }
}

function table(headers, lines) {
  const widths = headers.map((h, c) => Math.max(h.length, ...lines.map((l) => String(l[c]).length)));
  const format = (cells) => cells.map((cell, c) => (c === 0 || c === 1 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ');
  return [format(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

const out = [];
if (meta.loadAverageStart || meta.loadAverageEnd) out.push(`load average at start ${meta.loadAverageStart ?? '?'}, at end ${meta.loadAverageEnd ?? '?'} (${meta.cpus ?? '?'} CPUs)`);
out.push(table(
  ['target', 'workload', 'txs', 'committed', 'TPS', 'p50 ms', 'p99 ms', 'peak RSS MiB', 'submit TPS', 'blocks', 'tx/CPU-s', 'vs hardhat', 'vs ganache'],
  rows.map((r) => {
    if (r.unavailable) return [r.target, r.workload, r.txs ?? '-', 'unavailable', '-', '-', '-', '-', '-', '-', '-', '', ''];
    const vs = (peer) => {
      const x = ratios.find((q) => q.trellis === r.target && q.peer === peer && q.workload === r.workload);
      return x ? `${x.tps}x` : '';
    };
    const rss = mib(r.peakRssKb);
    return [
      r.target, r.workload, r.txs, r.committed + (r.rejected ? ` (${r.rejected} rejected)` : ''), text(r.tps), text(r.p50Ms), text(r.p99Ms),
      rss == null ? '-' : r.processes > 1 ? `${rss} (sum of ${r.processes})` : String(rss), text(r.submitTps), text(r.blocks),
      text(r.txPerCpuSecond), vs('hardhat'), vs('ganache'),
    ];
  }),
));
for (const r of rows.filter((x) => x.unavailable)) out.push(`${r.target} ${r.workload} unavailable: ${r.unavailable}`);
if (ratios.length > 0) {
  out.push('');
  out.push('Trellis / peer (TPS and tx per CPU-second: higher is better; p99 latency and peak RSS: lower is better)');
  out.push(table(['trellis', 'workload', 'peer', 'TPS', 'tx/CPU-s', 'p99', 'peak RSS'],
    ratios.map((q) => [q.trellis, q.workload, q.peer, text(q.tps, 'x'), text(q.txPerCpuSecond, 'x'), text(q.p99, 'x'), text(q.peakRss, 'x')])));
}
if (goals.length > 0) {
  out.push('');
  for (const g of goals) out.push(`goal ${g.target} ${g.workload} ${g.goal}: ${g.ratio}x, ${g.met ? 'met' : 'NOT met'}`);
}
const failed = rows.filter((r) => !r.unavailable && !ok(r));
for (const r of failed) out.push(`FAILED ${r.target} ${r.workload}: ${r.error ?? `${r.committed}/${r.txs} committed, ${r.rejected} rejected${r.firstRejection ? ` (${r.firstRejection})` : ''}`}`);
console.log(out.join('\n'));
fs.writeFileSync(outFile, JSON.stringify({ ...meta, results: rows, ratios, goals }, null, 2) + '\n');
console.log(`\nresults written to ${outFile}`);
process.exitCode = failed.length === 0 ? 0 : 1;
