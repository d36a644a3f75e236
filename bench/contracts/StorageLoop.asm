; StorageLoop: n read-modify-write cycles over 64 storage slots: slot = n & 63; storage[slot] += 1.
; Call data: one 32-byte word, the iteration count n. Returns nothing.
; The first touch of each slot in a transaction is cold (SLOAD 2100; SSTORE 20000 for 0 -> 1 in the first
; transaction, 2900 for a clean non-zero slot in later ones); later touches are warm and dirty
; (SLOAD 100, SSTORE 100): after the first 64 iterations, 261 gas per iteration (JUMPDEST 1, DUP1 3, ISZERO 3,
; PUSH2 3, JUMPI 10, DUP1 3, PUSH1 3, AND 3, DUP1 3, SLOAD 100, PUSH1 3, ADD 3, SWAP1 3, SSTORE 100, PUSH1 3,
; SWAP1 3, SUB 3, PUSH2 3, JUMP 8) -- so it measures the state cache and journal, not the cold-access price.
        PUSH1 0x00
        CALLDATALOAD        ; n                               [n]
loop:
        JUMPDEST
        DUP1
        ISZERO
        PUSH2 @done
        JUMPI               ; if n == 0 goto done
        DUP1
        PUSH1 0x3f
        AND                 ; slot = n & 63                   [n, slot]
        DUP1
        SLOAD               ;                                 [n, slot, v]
        PUSH1 0x01
        ADD                 ;                                 [n, slot, v + 1]
        SWAP1
        SSTORE              ; storage[slot] = v + 1           [n]
        PUSH1 0x01
        SWAP1
        SUB                 ; n - 1
        PUSH2 @loop
        JUMP
done:
        JUMPDEST
        STOP
