// Prints the Trellis / @ethereumjs/evm ratio table from the two result files run.sh produces:
//   node ratio.mjs <ethereumjs.json> <BenchmarkDotNet EvmBenchmarks-report.csv>
import fs from 'node:fs';

const [jsonFile, csvFile] = process.argv.slice(2);
const js = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));

// A CSV reader for BenchmarkDotNet's exporter: comma separated, fields with commas are double-quoted.
function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/).filter((l) => l.length > 0)) {
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { fields.push(field); field = ''; }
      else field += c;
    }
    fields.push(field);
    rows.push(fields);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const number = (text) => Number(String(text ?? '').replace(/,/g, ''));
const trellis = Object.fromEntries(parseCsv(fs.readFileSync(csvFile, 'utf8')).map((r) => [r.Method, r]));

const lines = [];
lines.push(`| workload | Trellis Mgas/s | ethereumjs ${js.version} Mgas/s | ratio | Trellis transfers/s | ethereumjs transfers/s |`);
lines.push('|---|---:|---:|---:|---:|---:|');
for (const [name, r] of Object.entries(js.results)) {
  const t = trellis[name];
  const mgas = t ? number(t['Mgas/s']) : NaN;
  const ratio = mgas / r.mgasPerSecond;
  const transfers = name === 'Erc20Transfer' && t ? number(t['Op/s']).toFixed(0) : '';
  const jsTransfers = name === 'Erc20Transfer' ? r.opsPerSecond.toFixed(0) : '';
  lines.push(`| ${name} | ${Number.isNaN(mgas) ? 'n/a' : mgas.toFixed(1)} | ${r.mgasPerSecond.toFixed(1)} | ${Number.isNaN(ratio) ? 'n/a' : ratio.toFixed(1) + 'x'} | ${transfers} | ${jsTransfers} |`);
}
console.log(lines.join('\n'));
