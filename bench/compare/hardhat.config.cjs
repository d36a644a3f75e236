// Hardhat network for bench/compare: the fastest configuration we found for sustained load (see README.md):
// interval mining (automine off), FIFO mempool, per-call logging off, base fee 0, and the benchmark's accounts funded
// in genesis. run.sh sets the environment variables below; the defaults make `npx hardhat node` usable by hand.
const fs = require('node:fs');

const accountsFile = process.env.BENCH_ACCOUNTS;
if (!accountsFile) {
  throw new Error('hardhat.config.cjs: set BENCH_ACCOUNTS to an accounts.json written by keys.mjs');
}
const balance = process.env.BENCH_BALANCE ?? '1000000000000000000000000';
const accounts = JSON.parse(fs.readFileSync(accountsFile, 'utf8')).map((a) => ({ privateKey: a.privateKey, balance }));

module.exports = {
  networks: {
    hardhat: {
      chainId: Number(process.env.BENCH_CHAIN_ID ?? 31337),
      hardfork: 'cancun',
      accounts,
      initialBaseFeePerGas: 0,
      blockGasLimit: Number(process.env.BENCH_BLOCK_GAS_LIMIT ?? 30_000_000),
      // `hardhat node` logs every JSON-RPC call by default; at thousands of calls per second that costs CPU.
      loggingEnabled: false,
      mining: {
        auto: false,
        interval: Number(process.env.BENCH_HARDHAT_INTERVAL_MS ?? 1000),
        mempool: { order: 'fifo' },
      },
    },
  },
};
