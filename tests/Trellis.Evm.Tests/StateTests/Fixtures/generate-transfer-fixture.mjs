// Writes transferFixture.json: a hand-made GeneralStateTests file whose expected state roots are computed
// independently of Trellis. The post-states are worked out by hand below from the transaction rules
// (value + gas * price leave the sender, the coinbase gets gas * (price - base fee)), and their roots come from
// ethereumjs' Merkle Patricia trie (@ethereumjs/statemanager, installed by `npm ci` in bench/evm-compare).
// Run: node tests/Trellis.Evm.Tests/StateTests/Fixtures/generate-transfer-fixture.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../../../../bench/evm-compare/package.json'));
const { MerkleStateManager } = require('@ethereumjs/statemanager');
const { createAccount, createAddressFromString, hexToBytes, bytesToHex, setLengthLeft, bigIntToBytes } = require('@ethereumjs/util');

const sender = '0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b'; // address of the secret key below
const secretKey = '0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8';
const recipient = '0x0000000000000000000000000000000000000b0b';
const coinbase = '0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba';
const contract = '0x000000000000000000000000000000000000c0de';
const senderBalance = 10n ** 18n;
const gasPrice = 10n;
const baseFee = 7n;
const value = 1000n;

async function root(accounts) {
  const sm = new MerkleStateManager();
  for (const a of accounts) {
    const address = createAddressFromString(a.address);
    await sm.putAccount(address, createAccount({ nonce: a.nonce, balance: a.balance }));
    if (a.code) await sm.putCode(address, hexToBytes(a.code));
    for (const [k, v] of Object.entries(a.storage ?? {})) {
      await sm.putStorage(address, setLengthLeft(hexToBytes(k), 32), bigIntToBytes(BigInt(v)));
    }
  }
  await sm.flush?.();
  return bytesToHex(await sm.getStateRoot());
}

const contractAccount = { address: contract, nonce: 1n, balance: 0n, code: '0x00', storage: { '0x01': '0x02' } };
const pre = [
  { address: sender, nonce: 0n, balance: senderBalance },
  { address: coinbase, nonce: 1n, balance: 0n },
  contractAccount,
];

// After a transfer that used `gas`: the recipient is created with the value, the sender pays value + gas * price,
// the coinbase earns gas * (price - base fee), the base fee part is burned.
const post = (gas) => [
  { address: sender, nonce: 1n, balance: senderBalance - value - gas * gasPrice },
  { address: recipient, nonce: 0n, balance: value },
  { address: coinbase, nonce: 1n, balance: gas * (gasPrice - baseFee) },
  contractAccount,
];

const emptyLogs = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'; // keccak(rlp([]))
const hex = (n) => '0x' + n.toString(16);
const preRoot = await root(pre);
const fixture = {
  transferBetweenAccounts: {
    _info: { comment: 'Hand-made: a value transfer to a new account; roots computed by generate-transfer-fixture.mjs with ethereumjs\' trie' },
    env: {
      currentBaseFee: hex(baseFee),
      currentCoinbase: coinbase,
      currentDifficulty: '0x020000',
      currentExcessBlobGas: '0x00',
      currentGasLimit: '0x05f5e100',
      currentNumber: '0x01',
      currentRandom: '0x0000000000000000000000000000000000000000000000000000000000020000',
      currentTimestamp: '0x03e8',
    },
    post: {
      Cancun: [
        // data "0x": intrinsic gas 21,000.
        { hash: await root(post(21000n)), indexes: { data: 0, gas: 0, value: 0 }, logs: emptyLogs, txbytes: '0x' },
        // data "0x0001": 21,000 + 4 (zero byte) + 16 (non-zero byte).
        { hash: await root(post(21020n)), indexes: { data: 1, gas: 0, value: 0 }, logs: emptyLogs, txbytes: '0x' },
        // gas limit 20,000 is below the intrinsic gas: rejected, nothing changes.
        { expectException: 'TransactionException.INTRINSIC_GAS_TOO_LOW', hash: preRoot, indexes: { data: 0, gas: 1, value: 0 }, logs: emptyLogs, txbytes: '0x' },
      ],
      Shanghai: [
        { hash: '0x' + '00'.repeat(32), indexes: { data: 0, gas: 0, value: 0 }, logs: emptyLogs, txbytes: '0x' },
      ],
    },
    pre: Object.fromEntries(pre.map((a) => [a.address, {
      balance: hex(a.balance), code: a.code ?? '0x', nonce: hex(a.nonce), storage: a.storage ?? {},
    }])),
    transaction: {
      data: ['0x', '0x0001'],
      gasLimit: ['0x7530', '0x4e20'],
      gasPrice: hex(gasPrice),
      nonce: '0x00',
      secretKey,
      sender,
      to: recipient,
      value: [hex(value)],
    },
  },
};
fs.writeFileSync(path.join(here, 'transferFixture.json'), JSON.stringify(fixture, null, 1) + '\n');
console.log(`pre root ${preRoot}`);
