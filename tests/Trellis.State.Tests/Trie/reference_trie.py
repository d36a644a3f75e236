#!/usr/bin/env python3
"""Independent reference for the national-suite trie roots used in TrieTests.cs.

A from-scratch Merkle Patricia trie (yellow paper appendix D) over any hash. It is first checked against the
Keccak-256 roots of ethereum/tests TrieTests/trieanyorder.json, then prints the SM3 roots (hashlib 'sm3', i.e.
OpenSSL) of the same cases. Run: python3 reference_trie.py ../../../../shared/conformance/ethereum-tests/TrieTests
"""
import hashlib, json, sys

RC = [0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
      0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
      0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
      0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
      0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008]
ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
M = (1 << 64) - 1

def rol(x, n): return ((x << n) | (x >> (64 - n))) & M if n else x

def keccak_f(a):
    for rc in RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rol(a[x][y], ROT[x][y])
        a = [[b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a

def keccak256(data):
    rate = 136
    msg = bytearray(data) + b'\x01'
    while len(msg) % rate: msg.append(0)
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        for i in range(rate // 8):
            a[i % 5][i // 5] ^= int.from_bytes(msg[off + 8 * i: off + 8 * i + 8], 'little')
        a = keccak_f(a)
    return b''.join(a[i % 5][i // 5].to_bytes(8, 'little') for i in range(4))

def sm3(data): return hashlib.new('sm3', data).digest()

def rlp_len(n, base):
    if n < 56: return bytes([base + n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([base + 55 + len(b)]) + b

def rlp_bytes(b): return b if len(b) == 1 and b[0] < 0x80 else rlp_len(len(b), 0x80) + b
def rlp_list(items): p = b''.join(items); return rlp_len(len(p), 0xc0) + p

def hp(nibbles, leaf):
    flag = 2 if leaf else 0
    if len(nibbles) % 2: nibbles = [flag + 1] + nibbles
    else: nibbles = [flag, 0] + nibbles
    return bytes(nibbles[i] * 16 + nibbles[i + 1] for i in range(0, len(nibbles), 2))

def node(items, depth, h):
    """RLP of the node over sorted (nibbles, value) items, all sharing the first `depth` nibbles."""
    if len(items) == 1:
        k, v = items[0]
        return rlp_list([rlp_bytes(hp(k[depth:], True)), rlp_bytes(v)])
    first, last = items[0][0], items[-1][0]
    common = 0
    while depth + common < min(len(first), len(last)) and first[depth + common] == last[depth + common]: common += 1
    if common:
        return rlp_list([rlp_bytes(hp(first[depth:depth + common], False)), ref(branch(items, depth + common, h), h)])
    return branch(items, depth, h)

def branch(items, depth, h):
    value = b''
    if len(items[0][0]) == depth: value = items[0][1]; items = items[1:]
    slots = []
    for n in range(16):
        group = [it for it in items if it[0][depth] == n]
        slots.append(ref(node(group, depth + 1, h), h) if group else b'\x80')
    return rlp_list(slots + [rlp_bytes(value)])

def ref(encoded, h): return encoded if len(encoded) < 32 else rlp_bytes(h(encoded))

def root(pairs, h):
    items = sorted(([n for b in k for n in (b >> 4, b & 15)], v) for k, v in pairs.items() if v)
    return h(b'\x80') if not items else h(node(items, 0, h))

def text(s): return bytes.fromhex(s[2:]) if s.startswith('0x') else s.encode()

if __name__ == '__main__':
    cases = json.load(open(sys.argv[1] + '/trieanyorder.json'))
    for name, case in cases.items():
        pairs = {text(k): text(v) for k, v in case['in'].items()}
        assert '0x' + root(pairs, keccak256).hex() == case['root'], name
        print(name, '0x' + root(pairs, sm3).hex())
