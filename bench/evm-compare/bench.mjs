// Gas is counted per transaction as a client charges it (execution gas + 21,000 + 4/16 per zero/non-zero call-data
// byte; no refunds occur in these workloads) so the figures compare with TransactionProcessor's gas used.
// Runs the four Trellis EVM benchmark workloads in @ethereumjs/evm (pinned in package-lock.json) and prints
// Mgas/s for each (and transfers/s for the ERC-20). The workloads and their sizes match
// bench/Trellis.Benchmarks/EvmBenchmarks.cs: the same bytecode files from bench/contracts, the same call data.
// Usage: node bench.mjs [--json] [--seconds S]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM } from '@ethereumjs/evm';
import { createAccount, createAddressFromString, hexToBytes, setLengthLeft, bigIntToBytes } from '@ethereumjs/util';

const here = path.dirname(fileURLToPath(import.meta.url));
const contracts = path.resolve(here, '..', 'contracts');
const readHex = (name) => hexToBytes('0x' + fs.readFileSync(path.join(contracts, name), 'utf8').trim());
const word = (n) => setLengthLeft(bigIntToBytes(BigInt(n)), 32);
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const secondsIndex = args.indexOf('--seconds');
const seconds = secondsIndex >= 0 ? Number(args[secondsIndex + 1]) : 3;

// Must match EvmBenchmarks.cs.
const ArithmeticIterations = 100_000;
const KeccakIterations = 50_000;
const StorageIterations = 20_000;
const TransfersPerBatch = 1_000;
const Recipients = 256;

const sender = createAddressFromString('0x1000000000000000000000000000000000000001');
const loopAddress = createAddressFromString('0x2000000000000000000000000000000000000002');
const gasLimit = 1_000_000_000n;

async function newEvm() {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const evm = await createEVM({ common });
  await evm.stateManager.putAccount(sender, createAccount({ nonce: 0n, balance: 10n ** 30n }));
  return evm;
}

// Ends a transaction as a client's runTx does: warm sets and the journal are cleared, touched empty accounts
// removed, and the current storage becomes the "original" storage of EIP-2200 for the next transaction. Without this
// every call after the first would see warm slots and dirty originals and pay far less gas than a real transaction.
async function endTransaction(evm) {
  await evm.journal.cleanup();
  evm.stateManager.originalStorageCache.clear();
}

// Runs `invoke` repeatedly for about `seconds` after a warm-up and returns gas and operations per second.
async function measure(invoke, opsPerInvoke) {
  for (let i = 0; i < 3; i++) await invoke();
  let gas = 0n;
  let invocations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    gas += await invoke();
    invocations++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < seconds);
  return { mgasPerSecond: Number(gas) / elapsed / 1e6, opsPerSecond: (invocations * opsPerInvoke) / elapsed, gasPerInvoke: Number(gas) / invocations };
}

async function loopWorkload(file, iterations) {
  const evm = await newEvm();
  await evm.stateManager.putCode(loopAddress, readHex(file));
  const data = word(iterations);
  return measure(async () => {
    const result = await evm.runCall({ caller: sender, to: loopAddress, data, gasLimit, skipBalance: true });
    await endTransaction(evm);
    if (result.execResult.exceptionError) throw new Error(`${file}: ${result.execResult.exceptionError.error}`);
    return result.execResult.executionGasUsed + 21_000n + intrinsicDataGas(data);
  }, 1);
}

async function erc20Workload() {
  const evm = await newEvm();
  const deploy = await evm.runCall({ caller: sender, data: concat(readHex('Erc20.creation.hex'), word(10n ** 27n)), gasLimit, skipBalance: true });
  if (deploy.execResult.exceptionError || !deploy.createdAddress) throw new Error('Erc20 deployment failed');
  const token = deploy.createdAddress;
  await endTransaction(evm);
  const selector = hexToBytes('0xa9059cbb'); // transfer(address,uint256)
  const calls = [];
  for (let i = 0; i < Recipients; i++) {
    const recipient = setLengthLeft(bigIntToBytes(0x3000000000000000000000000000000000000000n + BigInt(i + 1)), 32);
    calls.push(concat(selector, recipient, word(1)));
  }
  let next = 0;
  return measure(async () => {
    let gas = 0n;
    for (let i = 0; i < TransfersPerBatch; i++) {
      const result = await evm.runCall({ caller: sender, to: token, data: calls[next], gasLimit: 100_000n, skipBalance: true });
      await endTransaction(evm);
      next = (next + 1) % Recipients;
      if (result.execResult.exceptionError) throw new Error(`transfer failed: ${result.execResult.exceptionError.error}`);
      // Count the transaction's gas as a client would (intrinsic 21,000 + 4/16 per call-data byte) so the figure
      // compares with TransactionProcessor's gas used.
      gas += result.execResult.executionGasUsed + 21_000n + intrinsicDataGas(calls[0]);
    }
    return gas;
  }, TransfersPerBatch);
}

function intrinsicDataGas(data) {
  let gas = 0n;
  for (const b of data) gas += b === 0 ? 4n : 16n;
  return gas;
}

const results = {
  ArithmeticLoop: await loopWorkload('ArithmeticLoop.hex', ArithmeticIterations),
  KeccakLoop: await loopWorkload('KeccakLoop.hex', KeccakIterations),
  StorageLoop: await loopWorkload('StorageLoop.hex', StorageIterations),
  Erc20Transfer: await erc20Workload(),
};

if (json) {
  console.log(JSON.stringify({ engine: '@ethereumjs/evm', version: JSON.parse(fs.readFileSync(path.join(here, 'node_modules/@ethereumjs/evm/package.json'), 'utf8')).version, node: process.version, results }));
} else {
  console.log(`@ethereumjs/evm on node ${process.version}`);
  for (const [name, r] of Object.entries(results)) {
    const extra = name === 'Erc20Transfer' ? `  ${r.opsPerSecond.toFixed(0)} transfers/s` : '';
    console.log(`${name.padEnd(16)} ${r.mgasPerSecond.toFixed(2).padStart(10)} Mgas/s  (${r.gasPerInvoke.toFixed(0)} gas per call)${extra}`);
  }
}
