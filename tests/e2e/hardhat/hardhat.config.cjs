// Hardhat 2 project for the end-to-end tests. The `trellis` network is an ordinary http network entry, so Hardhat
// talks to the node exactly as it would to any Ethereum JSON-RPC endpoint.
//
//   TRELLIS_RPC_URL   the node's JSON-RPC url (default http://127.0.0.1:8545)
//   TRELLIS_ACCOUNTS  path of the node's accounts.json; when unset, Hardhat's development mnemonic is used
//                     (the accounts `npx hardhat node` funds), so the project also runs against a Hardhat node.
require('@nomicfoundation/hardhat-ethers');
const fs = require('node:fs');
const { subtask } = require('hardhat/config');
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require('hardhat/builtin-tasks/task-names');

const solcVersion = require('solc/package.json').version;

// Hardhat normally downloads a native solc build. Use the solc-js (WebAssembly) compiler from node_modules instead,
// so compiling needs nothing beyond `npm ci` and uses the very compiler the other tests use.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args, _hre, runSuper) => {
  if (args.solcVersion !== solcVersion) {
    return runSuper();
  }
  const solc = require('solc');
  return {
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
    version: solcVersion,
    longVersion: solc.version().replace(/\.Emscripten.*$/, ''),
  };
});

// Accounts 6 and 7 (lib/chain.mjs accountSlots.hardhat): the other test files send from other accounts, so the
// files can run in parallel without nonce collisions.
const firstAccount = 6;
const accountCount = 2;

function trellisAccounts() {
  const file = process.env.TRELLIS_ACCOUNTS;
  if (!file) {
    const mnemonic = 'test test test test test test test test test test test junk';
    return { mnemonic, initialIndex: firstAccount, count: accountCount };
  }
  const accounts = JSON.parse(fs.readFileSync(file, 'utf8'));
  return accounts.slice(firstAccount, firstAccount + accountCount).map((a) => a.privateKey);
}

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: solcVersion,
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
    },
  },
  // The project root is tests/e2e so the sources are the same tests/e2e/contracts the other tests compile;
  // Hardhat only compiles sources inside its root.
  paths: {
    root: require('node:path').join(__dirname, '..'),
    sources: 'contracts',
    artifacts: 'hardhat/artifacts',
    cache: 'hardhat/cache',
  },
  networks: {
    // The in-process network, as served by `npx hardhat node` for the reference run: like any Ethereum node it
    // must mine a transaction that reverts (status 0) rather than refuse it at eth_sendRawTransaction.
    hardhat: {
      throwOnTransactionFailures: false,
    },
    trellis: {
      url: process.env.TRELLIS_RPC_URL || 'http://127.0.0.1:8545',
      accounts: trellisAccounts(),
      timeout: 60_000,
    },
  },
};
