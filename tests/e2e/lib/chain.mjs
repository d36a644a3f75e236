// Shared set-up for the end-to-end tests: where the node is, which funded accounts to use, and solc-js compilation.
//
// Environment (set by tests/Trellis.E2e.Tests, or by hand):
//   TRELLIS_RPC_URL   JSON-RPC endpoint of the node, e.g. http://127.0.0.1:8545 (default).
//   TRELLIS_ACCOUNTS  path of the node's accounts.json ([{"address","privateKey"}]). When unset, Hardhat's
//                     well-known development accounts are used, so the same tests run against `npx hardhat node`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const e2eDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const contractsDir = join(e2eDir, 'contracts');

/** The mnemonic behind Hardhat's (and Anvil's) default development accounts. */
export const hardhatMnemonic = 'test test test test test test test test test test test junk';

/** Trellis runs the Cancun rule set, so contracts are compiled for it whatever the compiler's default. */
export const evmVersion = 'cancun';

export function rpcUrl() {
  return process.env.TRELLIS_RPC_URL || 'http://127.0.0.1:8545';
}

/**
 * Which funded accounts each test file uses. `node --test` runs files in parallel, so no two files may send from
 * the same account (their nonces would collide). Hardhat's config takes its accounts from the same table.
 */
export const accountSlots = Object.freeze({ ethers: 0, web3: 3, hardhat: 6 });

/**
 * Loads `count` funded accounts starting at index `first` as [{ address, privateKey }]: from TRELLIS_ACCOUNTS when
 * set, otherwise derived from Hardhat's mnemonic (path m/44'/60'/0'/0/i).
 */
export async function loadAccounts(first, count) {
  const path = process.env.TRELLIS_ACCOUNTS;
  if (path) {
    const accounts = JSON.parse(readFileSync(path, 'utf8'));
    if (!Array.isArray(accounts) || accounts.length < first + count) {
      throw new Error(`TRELLIS_ACCOUNTS file ${path} must hold an array of at least ${first + count} accounts`);
    }
    return accounts.slice(first, first + count).map(({ address, privateKey }) => ({ address, privateKey }));
  }
  const { HDNodeWallet, Mnemonic } = await import('ethers');
  const mnemonic = Mnemonic.fromPhrase(hardhatMnemonic);
  const accounts = [];
  for (let i = first; i < first + count; i++) {
    const wallet = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    accounts.push({ address: wallet.address, privateKey: wallet.privateKey });
  }
  return accounts;
}

/**
 * Compiles the named files of tests/e2e/contracts with solc-js through its standard-JSON interface and returns
 * { version, contracts: { Name: { abi, bytecode, deployedBytecode } } }. Throws with the compiler's messages on errors.
 */
export function compileContracts(...files) {
  const sources = {};
  for (const file of files) {
    sources[file] = { content: readFileSync(join(contractsDir, file), 'utf8') };
  }
  return compileSources(sources);
}

/** Compiles in-memory sources ({ 'File.sol': { content } }) the same way as compileContracts. */
export function compileSources(sources) {
  const solc = require('solc');
  const files = Object.keys(sources);
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion,
      optimizer: { enabled: true, runs: 200 },
      outputSelection: {
        '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`solc ${solc.version()} failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  }
  const contracts = {};
  for (const file of files) {
    for (const [name, c] of Object.entries(output.contracts[file])) {
      contracts[name] = {
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
        methodIdentifiers: c.evm.methodIdentifiers,
      };
    }
  }
  return { version: solc.version(), warnings: (output.errors || []).filter((e) => e.severity !== 'error'), contracts };
}

/**
 * Removes the CBOR metadata solc appends to runtime code (its length is the last two bytes). The metadata hashes
 * the source file names, so two builds of the same source under different paths differ only there.
 */
export function withoutMetadata(bytecode) {
  const metadataLength = parseInt(bytecode.slice(-4), 16);
  return bytecode.slice(0, bytecode.length - 2 * (metadataLength + 2));
}

/**
 * An ethers v6 provider for the node. ethers answers a repeated identical request from a 250 ms cache by default,
 * which would hide a balance or nonce change made between two reads; the tests read state right after each
 * transaction, so the cache is off. It also polls every 200 ms instead of 4 s so tx.wait() returns promptly.
 */
export async function ethersProvider() {
  const { JsonRpcProvider } = await import('ethers');
  return new JsonRpcProvider(rpcUrl(), undefined, { cacheTimeout: -1, pollingInterval: 200 });
}
