; KeccakLoop: hashes the 64-byte memory area [0, 64) n times, writing each digest back to [0, 32).
; Call data: one 32-byte word, the iteration count n. Returns the last digest (32 bytes).
; Gas per iteration: 94 (JUMPDEST 1, DUP1 3, ISZERO 3, PUSH2 3, JUMPI 10, PUSH1 3, PUSH1 3, KECCAK256 30 + 2 * 6,
; PUSH1 3, MSTORE 3, PUSH1 3, SWAP1 3, SUB 3, PUSH2 3, JUMP 8) after the first memory expansion (6 gas).
        PUSH1 0x00
        CALLDATALOAD        ; n                               [n]
loop:
        JUMPDEST
        DUP1
        ISZERO
        PUSH2 @done
        JUMPI               ; if n == 0 goto done
        PUSH1 0x40          ; size 64
        PUSH1 0x00          ; offset 0
        KECCAK256           ;                                 [n, h]
        PUSH1 0x00
        MSTORE              ; mem[0..32) = h                  [n]
        PUSH1 0x01
        SWAP1
        SUB                 ; n - 1
        PUSH2 @loop
        JUMP
done:
        JUMPDEST
        PUSH1 0x20
        PUSH1 0x00
        RETURN
