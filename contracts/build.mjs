// Regenerates the ABI JSON of the governance system-contract interfaces from the Solidity sources beside it:
//   node contracts/build.mjs
// Uses solc-js from tests/e2e/node_modules (run `npm ci` in tests/e2e first). Writes abi/<Interface>.abi.json
// (the ABI array any Ethereum client loads) and abi/selectors.json (solc's method identifiers per interface).
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'tests', 'e2e', 'package.json'));
const solc = require('solc');

const files = readdirSync(here).filter((f) => f.endsWith('.sol')).sort();
const input = {
  language: 'Solidity',
  sources: Object.fromEntries(files.map((f) => [f, { content: readFileSync(join(here, f), 'utf8') }])),
  settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.methodIdentifiers'] } } },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}

const outDir = join(here, 'abi');
mkdirSync(outDir, { recursive: true });
const selectors = {};
for (const file of files) {
  for (const [name, contract] of Object.entries(output.contracts[file])) {
    writeFileSync(join(outDir, `${name}.abi.json`), JSON.stringify(contract.abi, null, 2) + '\n');
    selectors[name] = contract.evm.methodIdentifiers;
    console.log(`${file}: ${name} (${contract.abi.length} entries)`);
  }
}
writeFileSync(join(outDir, 'selectors.json'), JSON.stringify(selectors, null, 2) + '\n');
console.log(`solc ${solc.version()}`);
