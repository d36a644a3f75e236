// A small EVM assembler for the hand-written benchmark loops: bench/contracts/<Name>.asm -> <Name>.hex.
// Syntax: one opcode per line, `;` starts a comment, `label:` defines a label, `PUSHn @label` pushes its offset,
// `PUSHn 0x..` pushes a hex constant (left-padded to n bytes). Run with `npm run assemble`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const opcodes = {
  STOP: 0x00, ADD: 0x01, MUL: 0x02, SUB: 0x03, DIV: 0x04, SDIV: 0x05, MOD: 0x06, SMOD: 0x07, ADDMOD: 0x08,
  MULMOD: 0x09, EXP: 0x0a, SIGNEXTEND: 0x0b, LT: 0x10, GT: 0x11, SLT: 0x12, SGT: 0x13, EQ: 0x14, ISZERO: 0x15,
  AND: 0x16, OR: 0x17, XOR: 0x18, NOT: 0x19, BYTE: 0x1a, SHL: 0x1b, SHR: 0x1c, SAR: 0x1d, KECCAK256: 0x20,
  ADDRESS: 0x30, BALANCE: 0x31, ORIGIN: 0x32, CALLER: 0x33, CALLVALUE: 0x34, CALLDATALOAD: 0x35,
  CALLDATASIZE: 0x36, CALLDATACOPY: 0x37, CODESIZE: 0x38, CODECOPY: 0x39, GASPRICE: 0x3a, POP: 0x50,
  MLOAD: 0x51, MSTORE: 0x52, MSTORE8: 0x53, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57, PC: 0x58,
  MSIZE: 0x59, GAS: 0x5a, JUMPDEST: 0x5b, TLOAD: 0x5c, TSTORE: 0x5d, MCOPY: 0x5e, PUSH0: 0x5f,
  RETURN: 0xf3, REVERT: 0xfd, INVALID: 0xfe,
};
for (let i = 1; i <= 32; i++) opcodes[`PUSH${i}`] = 0x5f + i;
for (let i = 1; i <= 16; i++) {
  opcodes[`DUP${i}`] = 0x7f + i;
  opcodes[`SWAP${i}`] = 0x8f + i;
}

export function assemble(source) {
  const lines = source.split('\n').map((l) => l.replace(/;.*/, '').trim()).filter((l) => l.length > 0);
  // Pass 1: offsets of labels. Pass 2: bytes.
  const labels = {};
  let offset = 0;
  for (const line of lines) {
    if (line.endsWith(':')) {
      labels[line.slice(0, -1)] = offset;
      continue;
    }
    const [name] = line.split(/\s+/);
    if (!(name in opcodes)) throw new Error(`unknown opcode '${name}' in line '${line}'`);
    const op = opcodes[name];
    offset += 1 + (op >= 0x60 && op <= 0x7f ? op - 0x5f : 0);
  }
  const bytes = [];
  for (const line of lines) {
    if (line.endsWith(':')) continue;
    const [name, arg] = line.split(/\s+/);
    const op = opcodes[name];
    bytes.push(op);
    if (op >= 0x60 && op <= 0x7f) {
      const size = op - 0x5f;
      if (arg === undefined) throw new Error(`'${line}' needs an argument`);
      let value;
      if (arg.startsWith('@')) {
        if (!(arg.slice(1) in labels)) throw new Error(`unknown label '${arg}'`);
        value = BigInt(labels[arg.slice(1)]);
      } else {
        value = BigInt(arg);
      }
      const hex = value.toString(16).padStart(size * 2, '0');
      if (hex.length > size * 2) throw new Error(`'${arg}' does not fit in ${name}`);
      for (let i = 0; i < size; i++) bytes.push(parseInt(hex.slice(i * 2, i * 2 + 2), 16));
    } else if (arg !== undefined) {
      throw new Error(`'${name}' takes no argument: '${line}'`);
    }
  }
  return Buffer.from(bytes).toString('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const contractsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'contracts');
  for (const file of fs.readdirSync(contractsDir).filter((f) => f.endsWith('.asm')).sort()) {
    const hex = assemble(fs.readFileSync(path.join(contractsDir, file), 'utf8'));
    const out = file.replace(/\.asm$/, '.hex');
    fs.writeFileSync(path.join(contractsDir, out), hex + '\n');
    console.log(`${file} -> ${out} (${hex.length / 2} bytes)`);
  }
}
