// ethers v6 against the node: ether transfers, an ERC-20's life cycle, events and logs, revert reasons, custom
// errors and panics. Every check is on a value: balances, event arguments, receipt fields, decoded errors.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContractFactory,
  Wallet,
  getAddress,
  getCreateAddress,
  keccak256,
  parseEther,
  parseUnits,
  solidityPacked,
  toBeHex,
  zeroPadValue,
} from 'ethers';
import { accountSlots, compileContracts, ethersProvider, loadAccounts } from './lib/chain.mjs';

const supply = parseUnits('1000000', 18);

let provider;
let owner;
let alice;
let bob;
let compiled;

/** Runs `action` and returns the error it rejects with; fails if it resolves. */
async function rejection(action) {
  try {
    await action();
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to revert, but it succeeded');
}

// One outer suite with concurrency 1: the parts share accounts and their nonces, so nothing may run in parallel.
describe('ethers v6', { concurrency: 1 }, () => {
  before(async () => {
    compiled = compileContracts('TrellisToken.sol', 'Events.sol').contracts;
    provider = await ethersProvider();
    const accounts = await loadAccounts(accountSlots.ethers, 3);
    [owner, alice, bob] = accounts.map((a) => new Wallet(a.privateKey, provider));
    // The node's account file must pair each address with its key (secp256k1 + Keccak-256 address derivation).
    for (let i = 0; i < accounts.length; i++) {
      assert.equal(getAddress(accounts[i].address), [owner, alice, bob][i].address);
    }
  });

  describe('chain', () => {
    test('reports a chain id, a block number and funded accounts', async () => {
      const network = await provider.getNetwork();
      assert.ok(network.chainId > 0n, `chain id ${network.chainId}`);
      if (process.env.TRELLIS_CHAIN_ID) {
        assert.equal(network.chainId, BigInt(process.env.TRELLIS_CHAIN_ID));
      }
      const height = await provider.getBlockNumber();
      assert.ok(height >= 0);
      const latest = await provider.getBlock('latest');
      assert.equal(latest.number, height);
      for (const wallet of [owner, alice, bob]) {
        assert.ok((await provider.getBalance(wallet.address)) >= parseEther('10'), `${wallet.address} is funded`);
      }
    });

    test('an ether transfer moves exactly the value, and the sender pays exactly the fee', async () => {
      const recipient = Wallet.createRandom().address;
      const value = parseEther('1.5');
      const senderBefore = await provider.getBalance(owner.address);
      const nonceBefore = await provider.getTransactionCount(owner.address);
      assert.equal(await provider.getBalance(recipient), 0n);

      const tx = await owner.sendTransaction({ to: recipient, value });
      assert.equal(tx.nonce, nonceBefore);
      const receipt = await tx.wait();

      assert.equal(receipt.status, 1);
      assert.equal(receipt.gasUsed, 21000n); // intrinsic gas of a plain transfer (yellow paper G_transaction)
      assert.equal(receipt.from, owner.address);
      assert.equal(receipt.to, recipient);
      assert.equal(await provider.getBalance(recipient), value);
      assert.equal(await provider.getBalance(owner.address), senderBefore - value - receipt.fee);
      assert.equal(await provider.getTransactionCount(owner.address), nonceBefore + 1);

      const mined = await provider.getTransaction(tx.hash);
      assert.equal(mined.hash, tx.hash);
      assert.equal(mined.from, owner.address);
      assert.equal(mined.to, recipient);
      assert.equal(mined.value, value);
      assert.equal(mined.nonce, nonceBefore);
      assert.equal(mined.blockNumber, receipt.blockNumber);
      const block = await provider.getBlock(receipt.blockNumber);
      assert.equal(block.hash, receipt.blockHash);
      assert.ok(block.transactions.includes(tx.hash));
    });
  });

  describe('ERC-20', () => {
    let token;
    let deployBlock;

    before(async () => {
      const factory = new ContractFactory(compiled.TrellisToken.abi, compiled.TrellisToken.bytecode, owner);
      const nonce = await provider.getTransactionCount(owner.address);
      token = await factory.deploy('Trellis Token', 'TRL', supply);
      await token.waitForDeployment();
      const receipt = await token.deploymentTransaction().wait();
      assert.equal(receipt.status, 1);
      // CREATE address = keccak256(rlp([sender, nonce]))[12:]
      assert.equal(await token.getAddress(), getCreateAddress({ from: owner.address, nonce }));
      assert.equal(receipt.contractAddress, await token.getAddress());
      deployBlock = receipt.blockNumber;
    });

    test('the deployed runtime code is the compiler output', async () => {
      assert.equal(await provider.getCode(await token.getAddress()), compiled.TrellisToken.deployedBytecode);
    });

    test('reads name, symbol, decimals, total supply and the minted balance', async () => {
      assert.equal(await token.name(), 'Trellis Token');
      assert.equal(await token.symbol(), 'TRL');
      assert.equal(await token.decimals(), 18n);
      assert.equal(await token.totalSupply(), supply);
      assert.equal(await token.balanceOf(owner.address), supply);
      assert.equal(await token.balanceOf(alice.address), 0n);
    });

    test('the constructor mint emitted Transfer(0, owner, supply)', async () => {
      const events = await token.queryFilter(token.filters.Transfer(), deployBlock, deployBlock);
      assert.equal(events.length, 1);
      assert.deepEqual([...events[0].args], ['0x0000000000000000000000000000000000000000', owner.address, supply]);
    });

    test('transfers move balances and emit Transfer with the right arguments', async () => {
      const fresh = Wallet.createRandom().address;
      const toAlice = parseUnits('250', 18);
      const toFresh = 100n;

      const r1 = await (await token.transfer(alice.address, toAlice)).wait();
      const r2 = await (await token.transfer(fresh, toFresh)).wait();
      assert.equal(r1.status, 1);
      assert.equal(r2.status, 1);

      assert.equal(await token.balanceOf(owner.address), supply - toAlice - toFresh);
      assert.equal(await token.balanceOf(alice.address), toAlice);
      assert.equal(await token.balanceOf(fresh), toFresh);
      assert.equal(await token.totalSupply(), supply);

      // The receipt's log, raw and decoded.
      assert.equal(r1.logs.length, 1);
      const log = r1.logs[0];
      assert.equal(log.address, await token.getAddress());
      assert.equal(log.topics[0], keccak256(Buffer.from('Transfer(address,address,uint256)')));
      assert.equal(log.topics[1], zeroPadValue(owner.address.toLowerCase(), 32));
      assert.equal(log.topics[2], zeroPadValue(alice.address.toLowerCase(), 32));
      assert.equal(BigInt(log.data), toAlice);
      const parsed = token.interface.parseLog(log);
      assert.equal(parsed.name, 'Transfer');
      assert.deepEqual([...parsed.args], [owner.address, alice.address, toAlice]);

      // The same events through eth_getLogs, filtered by the indexed `to` topic.
      const toFreshEvents = await token.queryFilter(token.filters.Transfer(null, fresh), deployBlock);
      assert.equal(toFreshEvents.length, 1);
      assert.deepEqual([...toFreshEvents[0].args], [owner.address, fresh, toFresh]);
      assert.equal(toFreshEvents[0].transactionHash, r2.hash);
      assert.equal(toFreshEvents[0].blockNumber, r2.blockNumber);
      const fromOwner = await token.queryFilter(token.filters.Transfer(owner.address), deployBlock);
      assert.deepEqual(
        fromOwner.map((e) => [e.args.to, e.args.value]),
        [
          [alice.address, toAlice],
          [fresh, toFresh],
        ],
      );
    });

    test('approve and transferFrom spend the allowance', async () => {
      const allowance = 70n;
      const approval = await (await token.approve(bob.address, allowance)).wait();
      const approvalEvent = token.interface.parseLog(approval.logs[0]);
      assert.equal(approvalEvent.name, 'Approval');
      assert.deepEqual([...approvalEvent.args], [owner.address, bob.address, allowance]);
      assert.equal(await token.allowance(owner.address, bob.address), allowance);

      const ownerBefore = await token.balanceOf(owner.address);
      const spend = await (await token.connect(bob).transferFrom(owner.address, bob.address, 30n)).wait();
      assert.equal(spend.status, 1);
      assert.equal(await token.allowance(owner.address, bob.address), 40n);
      assert.equal(await token.balanceOf(bob.address), 30n);
      assert.equal(await token.balanceOf(owner.address), ownerBefore - 30n);
    });

    test('a transfer beyond the balance is rejected with the revert reason', async () => {
      const balance = await token.balanceOf(alice.address);
      const err = await rejection(() => token.connect(alice).transfer(owner.address, balance + 1n));
      assert.equal(err.code, 'CALL_EXCEPTION');
      assert.equal(err.reason, 'ERC20: transfer amount exceeds balance');
      assert.equal(err.shortMessage, 'execution reverted: "ERC20: transfer amount exceeds balance"');
      assert.equal(err.revert.name, 'Error');
      assert.deepEqual([...err.revert.args], ['ERC20: transfer amount exceeds balance']);
      assert.equal(await token.balanceOf(alice.address), balance);
    });

    test('transferFrom beyond the allowance is rejected with the revert reason (eth_call)', async () => {
      const err = await rejection(() => token.connect(bob).transferFrom.staticCall(owner.address, bob.address, 41n));
      assert.equal(err.code, 'CALL_EXCEPTION');
      assert.equal(err.reason, 'ERC20: insufficient allowance');
    });

    test('a reverting transaction that is mined anyway has status 0 and changes nothing but the nonce', async () => {
      const balance = await token.balanceOf(alice.address);
      const nonce = await provider.getTransactionCount(alice.address);
      // An explicit gas limit skips estimation, so the node must include the transaction and record the failure.
      const tx = await token.connect(alice).transfer(owner.address, balance + 1n, { gasLimit: 100_000n });
      const err = await rejection(() => tx.wait());
      assert.equal(err.code, 'CALL_EXCEPTION');
      assert.equal(err.receipt.status, 0);
      assert.equal(err.receipt.hash, tx.hash);
      assert.equal(err.receipt.logs.length, 0);
      assert.ok(err.receipt.gasUsed > 21000n && err.receipt.gasUsed < 100_000n, `gas used ${err.receipt.gasUsed}`);
      const receipt = await provider.getTransactionReceipt(tx.hash);
      assert.equal(receipt.status, 0);
      assert.equal(await token.balanceOf(alice.address), balance);
      assert.equal(await provider.getTransactionCount(alice.address), nonce + 1);
    });
  });

  describe('events, revert reasons and custom errors', () => {
    let events;

    before(async () => {
      const factory = new ContractFactory(compiled.Events.abi, compiled.Events.bytecode, owner);
      events = await factory.deploy();
      await events.waitForDeployment();
      assert.equal(await events.owner(), owner.address);
    });

    test('Deposited carries indexed and non-indexed arguments, including a string', async () => {
      const receipt = await (await events.deposit(7n, 500n, 'first deposit ✓')).wait();
      assert.equal(receipt.status, 1);
      assert.equal(receipt.logs.length, 1);
      const log = receipt.logs[0];
      assert.equal(log.topics.length, 3);
      assert.equal(log.topics[0], keccak256(Buffer.from('Deposited(address,uint256,uint256,string)')));
      assert.equal(log.topics[1], zeroPadValue(owner.address.toLowerCase(), 32));
      assert.equal(log.topics[2], zeroPadValue(toBeHex(7n), 32));
      const parsed = events.interface.parseLog(log);
      assert.equal(parsed.args.account, owner.address);
      assert.equal(parsed.args.tag, 7n);
      assert.equal(parsed.args.amount, 500n);
      assert.equal(parsed.args.memo, 'first deposit ✓');
      assert.equal(await events.deposits(owner.address), 500n);
    });

    test('one transaction emits several events, an anonymous one last', async () => {
      const receipt = await (await events.countTo(3n)).wait();
      assert.equal(receipt.logs.length, 4);
      for (let i = 0; i < 3; i++) {
        const parsed = events.interface.parseLog(receipt.logs[i]);
        assert.equal(parsed.name, 'Counted');
        assert.equal(parsed.args.count, BigInt(i + 1));
        assert.equal(parsed.args.hash, keccak256(solidityPacked(['uint256'], [i + 1])));
        assert.equal(receipt.logs[i].index, i);
      }
      const anonymous = receipt.logs[3];
      assert.equal(anonymous.topics.length, 0);
      assert.equal(anonymous.data, zeroPadValue(toBeHex(3n), 32));
      assert.equal(await events.count(), 3n);

      const counted = await events.queryFilter(events.filters.Counted(), receipt.blockNumber, receipt.blockNumber);
      assert.deepEqual(
        counted.map((e) => e.args.count),
        [1n, 2n, 3n],
      );
      const second = await events.queryFilter(events.filters.Counted(2n), receipt.blockNumber);
      assert.equal(second.length, 1);
      assert.equal(second[0].transactionHash, receipt.hash);
    });

    test('require(..., reason) surfaces its reason from a transaction', async () => {
      const err = await rejection(() => events.deposit(1n, 0n, 'nothing'));
      assert.equal(err.code, 'CALL_EXCEPTION');
      assert.equal(err.reason, 'Events: amount must be positive');
    });

    test('require(..., reason) surfaces its reason from a view call', async () => {
      assert.equal(await events.checkPositive(5n), 5n);
      const err = await rejection(() => events.checkPositive(-1n));
      assert.equal(err.code, 'CALL_EXCEPTION');
      assert.equal(err.reason, 'Events: value must be positive');
    });

    test('a custom error from a transaction is decoded from its revert data', async () => {
      // Sending runs eth_estimateGas first; the node's error carries the revert data, which the ABI decodes.
      const err = await rejection(() => events.withdraw(600n));
      assert.equal(err.code, 'CALL_EXCEPTION');
      const selector = events.interface.getError('InsufficientDeposit').selector;
      assert.equal(selector, keccak256(Buffer.from('InsufficientDeposit(address,uint256,uint256)')).slice(0, 10));
      assert.ok(err.data.startsWith(selector), `revert data ${err.data}`);
      const decoded = events.interface.parseError(err.data);
      assert.equal(decoded.name, 'InsufficientDeposit');
      assert.deepEqual([...decoded.args], [owner.address, 600n, 500n]);
    });

    test('a custom error from a call is decoded by the contract with its arguments', async () => {
      const err = await rejection(() => events.withdraw.staticCall(600n));
      assert.equal(err.code, 'CALL_EXCEPTION');
      assert.equal(err.revert.name, 'InsufficientDeposit');
      assert.equal(err.revert.signature, 'InsufficientDeposit(address,uint256,uint256)');
      assert.deepEqual([...err.revert.args], [owner.address, 600n, 500n]);
    });

    test('a custom error names the caller that is not the owner', async () => {
      const err = await rejection(() => events.connect(alice).onlyOwnerReset.staticCall());
      assert.equal(err.revert.name, 'NotOwner');
      assert.deepEqual([...err.revert.args], [alice.address]);
      const sent = await rejection(() => events.connect(alice).onlyOwnerReset());
      assert.deepEqual([...events.interface.parseError(sent.data).args], [alice.address]);
      await (await events.onlyOwnerReset()).wait();
      assert.equal(await events.count(), 0n);
    });

    test('division by zero is Panic(0x12)', async () => {
      assert.equal(await events.divide(10n, 3n), 3n);
      const err = await rejection(() => events.divide(1n, 0n));
      assert.equal(err.code, 'CALL_EXCEPTION');
      assert.equal(err.revert.name, 'Panic');
      assert.equal(BigInt(err.revert.args[0]), 0x12n);
      // Panic(uint256) selector 0x4e487b71, then the code as one 32-byte word.
      assert.equal(err.data, '0x4e487b71' + '12'.padStart(64, '0'));
    });

    test('a withdrawal within the deposit succeeds and emits Withdrawn', async () => {
      const receipt = await (await events.withdraw(200n)).wait();
      const parsed = events.interface.parseLog(receipt.logs[0]);
      assert.equal(parsed.name, 'Withdrawn');
      assert.deepEqual([...parsed.args], [owner.address, 200n]);
      assert.equal(await events.deposits(owner.address), 300n);
    });
  });
});
