// Compiles KvStore.sol and Evidence.sol (the `trellis bench` workload contracts) with the solc-js that
// tests/e2e pins (0.8.28, `npm ci` in tests/e2e first) and writes <Name>.creation.hex and <Name>.runtime.hex beside
// them. Run from anywhere: `node bench/contracts/compile-bench.mjs`. Same settings as bench/evm-compare/compile.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const e2e = process.env.TRELLIS_E2E_DIR ?? path.resolve(here, '..', '..', 'tests', 'e2e');
const solc = createRequire(path.join(e2e, 'package.json'))('solc');
const files = ['KvStore.sol', 'Evidence.sol'];
const sources = Object.fromEntries(files.map((f) => [f, { content: fs.readFileSync(path.join(here, f), 'utf8') }]));
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
for (const e of output.errors ?? []) {
  console.error(e.formattedMessage);
}
if ((output.errors ?? []).some((e) => e.severity === 'error')) {
  process.exit(1);
}

for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, artifact] of Object.entries(contracts)) {
    fs.writeFileSync(path.join(here, `${name}.creation.hex`), artifact.evm.bytecode.object + '\n');
    fs.writeFileSync(path.join(here, `${name}.runtime.hex`), artifact.evm.deployedBytecode.object + '\n');
    console.log(`${file}:${name} creation ${artifact.evm.bytecode.object.length / 2} bytes, runtime ${artifact.evm.deployedBytecode.object.length / 2} bytes (solc ${solc.version()})`);
  }
}
