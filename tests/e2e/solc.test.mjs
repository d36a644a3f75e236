// solc-js compiles the test contracts through the standard-JSON interface; checked against published selectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileContracts, compileSources, evmVersion } from './lib/chain.mjs';

test('solc-js compiles the ERC-20 and the events contract without errors', () => {
  const { version, contracts } = compileContracts('TrellisToken.sol', 'Events.sol');
  assert.match(version, /^0\.8\.28\+commit\./);
  assert.deepEqual(Object.keys(contracts).sort(), ['Events', 'TrellisToken']);
  for (const c of Object.values(contracts)) {
    // solc creation code starts by setting the free-memory pointer: PUSH1 <start> PUSH1 0x40 MSTORE.
    assert.match(c.bytecode, /^0x60[0-9a-f]{2}604052[0-9a-f]+$/);
    assert.ok(c.deployedBytecode.length > 2);
  }
  assert.equal(evmVersion, 'cancun');
});

test('the ERC-20 exposes the EIP-20 selectors', () => {
  const { contracts } = compileContracts('TrellisToken.sol');
  // Published in EIP-20 tooling everywhere; computed by the compiler, not by the code under test.
  assert.deepEqual(
    {
      totalSupply: contracts.TrellisToken.methodIdentifiers['totalSupply()'],
      balanceOf: contracts.TrellisToken.methodIdentifiers['balanceOf(address)'],
      transfer: contracts.TrellisToken.methodIdentifiers['transfer(address,uint256)'],
      transferFrom: contracts.TrellisToken.methodIdentifiers['transferFrom(address,address,uint256)'],
      approve: contracts.TrellisToken.methodIdentifiers['approve(address,uint256)'],
      allowance: contracts.TrellisToken.methodIdentifiers['allowance(address,address)'],
    },
    {
      totalSupply: '18160ddd',
      balanceOf: '70a08231',
      transfer: 'a9059cbb',
      transferFrom: '23b872dd',
      approve: '095ea7b3',
      allowance: 'dd62ed3e',
    },
  );
  const transfer = contracts.TrellisToken.abi.find((e) => e.type === 'event' && e.name === 'Transfer');
  assert.deepEqual(
    transfer.inputs.map((i) => [i.name, i.type, i.indexed]),
    [
      ['from', 'address', true],
      ['to', 'address', true],
      ['value', 'uint256', false],
    ],
  );
});

test('the events contract declares its custom errors in the ABI', () => {
  const { contracts } = compileContracts('Events.sol');
  const errors = contracts.Events.abi.filter((e) => e.type === 'error').map((e) => e.name).sort();
  assert.deepEqual(errors, ['InsufficientDeposit', 'NotOwner']);
});

test('a syntax error is reported with the compiler message', () => {
  const broken = { 'Broken.sol': { content: 'pragma solidity ^0.8.0; contract Broken { function f( }' } };
  assert.throws(() => compileSources(broken), /solc 0\.8\.28.* failed:[\s\S]*ParserError/);
});
