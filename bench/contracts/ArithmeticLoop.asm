; ArithmeticLoop: a tight loop of stack arithmetic, no memory or storage.
; Call data: one 32-byte word, the iteration count n. Returns the final accumulator (32 bytes).
; Per iteration: a = acc * 0x9e3779b9 + 7; acc = a ^ (a >> 13) and n = n - 1, with one JUMPI and one JUMP.
; Gas per iteration: 72 (JUMPDEST 1, DUP1 3, ISZERO 3, PUSH2 3, JUMPI 10, SWAP1 3, PUSH4 3, MUL 5, PUSH1 3,
; ADD 3, DUP1 3, PUSH1 3, SHR 3, XOR 3, SWAP1 3, PUSH1 3, SWAP1 3, SUB 3, PUSH2 3, JUMP 8).
        PUSH1 0x01          ; acc = 1                         [acc]
        PUSH1 0x00
        CALLDATALOAD        ; n                               [acc, n]
loop:
        JUMPDEST
        DUP1
        ISZERO
        PUSH2 @done
        JUMPI               ; if n == 0 goto done             [acc, n]
        SWAP1               ;                                 [n, acc]
        PUSH4 0x9e3779b9
        MUL
        PUSH1 0x07
        ADD                 ; acc * k + 7                     [n, a]
        DUP1
        PUSH1 0x0d
        SHR
        XOR                 ; a ^ (a >> 13)                   [n, acc']
        SWAP1               ;                                 [acc', n]
        PUSH1 0x01
        SWAP1
        SUB                 ; n - 1                           [acc', n-1]
        PUSH2 @loop
        JUMP
done:
        JUMPDEST
        POP                 ;                                 [acc]
        PUSH1 0x00
        MSTORE
        PUSH1 0x20
        PUSH1 0x00
        RETURN
