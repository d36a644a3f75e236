// Compiles bench/contracts/*.sol with the pinned solc-js and writes <Name>.creation.hex (creation code) and
// <Name>.runtime.hex (deployed code) beside each source. Run with `npm run compile` after `npm ci`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const here = path.dirname(fileURLToPath(import.meta.url));
const contractsDir = path.resolve(here, '..', 'contracts');
const sources = {};
for (const file of fs.readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(contractsDir, file), 'utf8') };
}

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
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
for (const e of output.errors ?? []) {
  console.error(e.formattedMessage);
}
if (errors.length > 0) {
  process.exit(1);
}

for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, artifact] of Object.entries(contracts)) {
    fs.writeFileSync(path.join(contractsDir, `${name}.creation.hex`), artifact.evm.bytecode.object + '\n');
    fs.writeFileSync(path.join(contractsDir, `${name}.runtime.hex`), artifact.evm.deployedBytecode.object + '\n');
    console.log(`${file}:${name} creation ${artifact.evm.bytecode.object.length / 2} bytes, runtime ${artifact.evm.deployedBytecode.object.length / 2} bytes (solc ${solc.version()})`);
  }
}
