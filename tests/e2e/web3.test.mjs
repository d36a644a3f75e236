// web3.js v4 reads what ethers v6 wrote (balances, token state, events, receipts, blocks) and must see the same
// numbers; then web3 signs and sends its own transactions and ethers checks the result.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContractFactory, Wallet, parseEther, parseUnits } from 'ethers';
import { Web3 } from 'web3';
import { accountSlots, compileContracts, ethersProvider, loadAccounts, rpcUrl } from './lib/chain.mjs';

let provider;
let web3;
let owner;
let alice;
let bob;
let compiled;

before(async () => {
  compiled = compileContracts('TrellisToken.sol', 'Events.sol').contracts;
  provider = await ethersProvider();
  web3 = new Web3(rpcUrl());
  web3.setConfig({ transactionPollingInterval: 200, transactionReceiptPollingInterval: 200 });
  [owner, alice, bob] = (await loadAccounts(accountSlots.web3, 3)).map((a) => new Wallet(a.privateKey, provider));
});

describe('web3.js v4', { concurrency: 1 }, () => {
  let token;
  let tokenAddress;
  let web3Token;
  let deployBlock;
  let fresh;
  let transferReceipt;

  test('ethers deploys the ERC-20 and makes transfers for web3 to read', async () => {
    const factory = new ContractFactory(compiled.TrellisToken.abi, compiled.TrellisToken.bytecode, owner);
    token = await factory.deploy('Web3 Token', 'W3T', parseUnits('5000', 18));
    await token.waitForDeployment();
    tokenAddress = await token.getAddress();
    deployBlock = (await token.deploymentTransaction().wait()).blockNumber;
    web3Token = new web3.eth.Contract(compiled.TrellisToken.abi, tokenAddress);

    fresh = Wallet.createRandom().address;
    transferReceipt = await (await token.transfer(alice.address, parseUnits('12.5', 18))).wait();
    await (await token.transfer(fresh, 777n)).wait();
    await (await owner.sendTransaction({ to: fresh, value: parseEther('0.25') })).wait();
    assert.equal(transferReceipt.status, 1);
  });

  test('chain id and block numbers agree with ethers', async () => {
    const network = await provider.getNetwork();
    assert.equal(await web3.eth.getChainId(), network.chainId);
    assert.equal(await web3.eth.net.getId(), BigInt(await provider.send('net_version', [])));
    const height = await provider.getBlockNumber();
    const web3Height = await web3.eth.getBlockNumber();
    assert.ok(web3Height >= BigInt(height), `web3 block ${web3Height} < ethers block ${height}`);
  });

  test('eth.getBalance equals ethers getBalance for every account involved', async () => {
    const block = await provider.getBlockNumber(); // pin both reads to one block
    for (const address of [owner.address, alice.address, bob.address, fresh, tokenAddress]) {
      assert.equal(await web3.eth.getBalance(address, block), await provider.getBalance(address, block), address);
    }
    assert.equal(await web3.eth.getBalance(fresh, block), parseEther('0.25'));
  });

  test('Contract.methods.balanceOf().call() equals ethers balanceOf', async () => {
    for (const address of [owner.address, alice.address, fresh, bob.address]) {
      assert.equal(await web3Token.methods.balanceOf(address).call(), await token.balanceOf(address), address);
    }
    assert.equal(await web3Token.methods.balanceOf(alice.address).call(), parseUnits('12.5', 18));
    assert.equal(await web3Token.methods.balanceOf(fresh).call(), 777n);
    assert.equal(await web3Token.methods.totalSupply().call(), parseUnits('5000', 18));
    assert.equal(await web3Token.methods.name().call(), 'Web3 Token');
    assert.equal(await web3Token.methods.symbol().call(), 'W3T');
    assert.equal(await web3Token.methods.decimals().call(), 18n);
  });

  test('getPastEvents returns the Transfer events ethers sees, with the same arguments', async () => {
    const web3Events = await web3Token.getPastEvents('Transfer', { fromBlock: deployBlock, toBlock: 'latest' });
    const ethersEvents = await token.queryFilter(token.filters.Transfer(), deployBlock);
    assert.equal(web3Events.length, 3); // the mint and two transfers
    assert.equal(web3Events.length, ethersEvents.length);
    for (let i = 0; i < web3Events.length; i++) {
      const w = web3Events[i];
      const e = ethersEvents[i];
      assert.equal(w.event, 'Transfer');
      assert.equal(w.returnValues.from, e.args.from);
      assert.equal(w.returnValues.to, e.args.to);
      assert.equal(w.returnValues.value, e.args.value);
      assert.equal(w.transactionHash, e.transactionHash);
      assert.equal(w.blockNumber, BigInt(e.blockNumber));
      assert.equal(w.logIndex, BigInt(e.index));
    }
    const toFresh = await web3Token.getPastEvents('Transfer', { filter: { to: fresh }, fromBlock: deployBlock });
    assert.equal(toFresh.length, 1);
    assert.equal(toFresh[0].returnValues.value, 777n);
  });

  test('receipts, transactions and blocks read by web3 match ethers', async () => {
    const receipt = await web3.eth.getTransactionReceipt(transferReceipt.hash);
    assert.equal(receipt.status, 1n);
    assert.equal(receipt.gasUsed, transferReceipt.gasUsed);
    assert.equal(receipt.blockHash, transferReceipt.blockHash);
    assert.equal(receipt.logs.length, 1);
    assert.deepEqual(receipt.logs[0].topics, transferReceipt.logs[0].topics);
    assert.equal(receipt.logs[0].data, transferReceipt.logs[0].data);
    assert.equal(receipt.logsBloom, transferReceipt.logsBloom);

    const tx = await web3.eth.getTransaction(transferReceipt.hash);
    assert.equal(tx.from.toLowerCase(), owner.address.toLowerCase());
    assert.equal(tx.to.toLowerCase(), tokenAddress.toLowerCase());

    const block = await web3.eth.getBlock(transferReceipt.blockNumber);
    const ethersBlock = await provider.getBlock(transferReceipt.blockNumber);
    assert.equal(block.hash, ethersBlock.hash);
    assert.equal(block.parentHash, ethersBlock.parentHash);
    assert.equal(block.number, BigInt(ethersBlock.number));
    assert.deepEqual(block.transactions, ethersBlock.transactions);
  });

  test('web3 signs and sends a token transfer; ethers sees the new balances and the event', async () => {
    web3.eth.accounts.wallet.add(alice.privateKey);
    const before = await token.balanceOf(alice.address);
    const receipt = await web3Token.methods.transfer(bob.address, 1000n).send({ from: alice.address });
    assert.equal(receipt.status, 1n);
    assert.equal(receipt.events.Transfer.returnValues.from, alice.address);
    assert.equal(receipt.events.Transfer.returnValues.to, bob.address);
    assert.equal(receipt.events.Transfer.returnValues.value, 1000n);
    assert.equal(await token.balanceOf(alice.address), before - 1000n);
    assert.equal(await token.balanceOf(bob.address), 1000n);
  });

  test('web3 signs and sends ether; both libraries read the same balance', async () => {
    const recipient = web3.eth.accounts.create().address;
    const receipt = await web3.eth.sendTransaction({ from: alice.address, to: recipient, value: parseEther('0.01') });
    assert.equal(receipt.status, 1n);
    assert.equal(receipt.gasUsed, 21000n);
    assert.equal(await provider.getBalance(recipient), parseEther('0.01'));
    assert.equal(await web3.eth.getBalance(recipient), parseEther('0.01'));
  });

  test('a reverted call carries the reason in its revert data', async () => {
    const balance = await token.balanceOf(alice.address);
    const err = await web3Token.methods
      .transfer(owner.address, balance + 1n)
      .call({ from: alice.address })
      .then(
        () => assert.fail('expected a revert'),
        (e) => e,
      );
    assert.equal(err.name, 'ContractExecutionError');
    const data = err.cause.data;
    assert.equal(data.slice(0, 10), '0x08c379a0'); // Error(string)
    assert.equal(web3.eth.abi.decodeParameter('string', '0x' + data.slice(10)), 'ERC20: transfer amount exceeds balance');
  });

  test('a custom error is decoded by web3 with its name and arguments', async () => {
    const events = await new ContractFactory(compiled.Events.abi, compiled.Events.bytecode, owner).deploy();
    await events.waitForDeployment();
    const web3Events = new web3.eth.Contract(compiled.Events.abi, await events.getAddress());
    const err = await web3Events.methods
      .withdraw(9n)
      .call({ from: bob.address })
      .then(
        () => assert.fail('expected a revert'),
        (e) => e,
      );
    assert.equal(err.cause.errorName, 'InsufficientDeposit');
    assert.equal(err.cause.errorSignature, 'InsufficientDeposit(address,uint256,uint256)');
    assert.equal(err.cause.errorArgs.account, bob.address);
    assert.equal(err.cause.errorArgs.requested, 9n);
    assert.equal(err.cause.errorArgs.available, 0n);
  });
});
