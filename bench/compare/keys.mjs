// Writes the development accounts the Hardhat and Ganache targets fund in their genesis, in the format of Trellis's
// accounts.json (a JSON list of {address, privateKey}), and prints nothing else. The keys are derived from fixed
// strings so every run funds the same accounts; they are for this benchmark only.
// Usage: node keys.mjs OUT_FILE [COUNT]
import fs from 'node:fs';
import { Wallet, keccak256, toUtf8Bytes } from 'ethers';

const [out, countText = '100'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node keys.mjs OUT_FILE [COUNT]');
  process.exit(2);
}
const count = Number(countText);
if (!Number.isInteger(count) || count < 1 || count > 10_000) {
  console.error(`keys.mjs: COUNT must be an integer from 1 to 10000, got "${countText}"`);
  process.exit(2);
}
const accounts = [];
for (let i = 0; i < count; i++) {
  const wallet = new Wallet(keccak256(toUtf8Bytes(`trellis-bench-compare-sender-${i}`)));
  accounts.push({ address: wallet.address, privateKey: wallet.privateKey });
}
fs.writeFileSync(out, JSON.stringify(accounts, null, 2) + '\n', { mode: 0o600 });
