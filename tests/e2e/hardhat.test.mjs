// Hardhat 2 deploys and calls the ERC-20 on the node through its `trellis` http network entry (hardhat-ethers'
// deployContract, contracts compiled by Hardhat with the solc-js compiler); ethers then checks the result on the
// node directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Contract, getAddress } from 'ethers';
import { accountSlots, compileContracts, e2eDir, ethersProvider, loadAccounts, rpcUrl, withoutMetadata } from './lib/chain.mjs';

const require = createRequire(import.meta.url);
const hardhatCli = require.resolve('hardhat/internal/cli/cli.js');
const hardhatDir = join(e2eDir, 'hardhat');

const artifactPath = join(hardhatDir, 'artifacts', 'contracts', 'TrellisToken.sol', 'TrellisToken.json');

function hardhat(...args) {
  const run = spawnSync(process.execPath, [hardhatCli, '--config', join(hardhatDir, 'hardhat.config.cjs'), ...args], {
    cwd: hardhatDir,
    env: { ...process.env, TRELLIS_RPC_URL: rpcUrl(), HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  const output = `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  assert.equal(run.status, 0, `hardhat ${args.join(' ')} failed:\n${output}`);
  return run.stdout;
}

test('Hardhat compiles the contracts with solc-js', () => {
  const out = hardhat('compile', '--force');
  assert.match(out, /Compiled 2 Solidity files successfully \(evm target: cancun\)/);
  const artifact = JSON.parse(readFileSync(artifactPath, 'utf8'));
  // Same compiler and settings as the solc-js tests, so the same runtime code up to the metadata (which hashes
  // the source path: contracts/TrellisToken.sol here, TrellisToken.sol there).
  const direct = compileContracts('TrellisToken.sol').contracts.TrellisToken.deployedBytecode;
  assert.notEqual(withoutMetadata(direct), direct);
  assert.equal(withoutMetadata(artifact.deployedBytecode), withoutMetadata(direct));
});

test('Hardhat deploys and calls the ERC-20 through the trellis network', async () => {
  const out = hardhat('run', '--no-compile', '--network', 'trellis', join('scripts', 'deploy-token.cjs'));
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no RESULT line in hardhat output:\n${out}`);
  const result = JSON.parse(line.slice('RESULT '.length));

  const [owner, other] = await loadAccounts(accountSlots.hardhat, 2);
  const supply = 21_000_000n * 10n ** 18n;
  assert.equal(result.network, 'trellis');
  assert.equal(result.owner, getAddress(owner.address));
  assert.equal(result.other, getAddress(other.address));
  assert.equal(result.deployStatus, 1);
  assert.equal(result.transferStatus, 1);
  assert.equal(result.name, 'Hardhat Token');
  assert.equal(result.symbol, 'HHT');
  assert.equal(result.totalSupply, supply.toString());
  assert.equal(result.ownerBalance, (supply - 4242n).toString());
  assert.equal(result.otherBalance, '4242');
  assert.deepEqual(result.transferEvent, { name: 'Transfer', from: result.owner, to: result.other, value: '4242' });
  assert.equal(result.revertReason, 'ERC20: transfer amount exceeds balance');

  // What Hardhat reported is what the node holds.
  const provider = await ethersProvider();
  assert.equal(BigInt(result.chainId), (await provider.getNetwork()).chainId);
  const artifact = JSON.parse(readFileSync(artifactPath, 'utf8'));
  assert.equal(await provider.getCode(result.address), artifact.deployedBytecode);
  const token = new Contract(result.address, artifact.abi, provider);
  assert.equal(await token.totalSupply(), supply);
  assert.equal(await token.balanceOf(result.owner), supply - 4242n);
  assert.equal(await token.balanceOf(result.other), 4242n);
  const receipt = await provider.getTransactionReceipt(result.transferHash);
  assert.equal(receipt.status, 1);
  const transfers = await token.queryFilter(token.filters.Transfer(result.owner, result.other), result.deployBlock);
  assert.equal(transfers.length, 1);
  assert.equal(transfers[0].args.value, 4242n);
  assert.equal(transfers[0].transactionHash, result.transferHash);
});
