using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Trellis.Core;

namespace Trellis.Evm;

public sealed partial class VirtualMachine
{
    /// <summary>
    /// The interpreter loop: one switch over the opcode, the stack as a ref into a pooled array with its bounds
    /// checked per opcode from <see cref="OpcodeInfo"/>, gas in a local. Halts are return codes, never exceptions.
    /// </summary>
    [SkipLocalsInit]
    private FrameStatus Interpret(ExecutionFrame frame)
    {
        ReadOnlySpan<byte> code = frame.Code.Span;
        ref UInt256 stack = ref MemoryMarshal.GetArrayDataReference(frame.Stack);
        EvmMemory memory = frame.Memory;
        int[] baseGas = OpcodeInfo.BaseGas;
        int[] stackRequired = OpcodeInfo.StackRequired;
        int[] stackMaximum = OpcodeInfo.StackMaximum;
        Span<byte> scratch = stackalloc byte[32];
        long gas = frame.Gas;
        int sp = 0;
        int pc = 0;
        FrameStatus status;

        while (true)
        {
            if ((uint)pc >= (uint)code.Length)
            {
                status = FrameStatus.Success;
                break;
            }

            byte op = code[pc];
            if (sp < stackRequired[op])
            {
                status = FrameStatus.StackUnderflow;
                break;
            }

            if (sp > stackMaximum[op])
            {
                status = FrameStatus.StackOverflow;
                break;
            }

            gas -= baseGas[op];
            if (gas < 0)
            {
                status = FrameStatus.OutOfGas;
                break;
            }

            pc++;
            switch (op)
            {
                case Opcode.Stop:
                    status = FrameStatus.Success;
                    goto Done;

                case Opcode.Add:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.Add(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Mul:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.Multiply(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Sub:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.Subtract(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Div:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.Divide(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.SDiv:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.SignedDivide(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Mod:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.Modulo(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.SMod:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.SignedModulo(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.AddMod:
                    {
                        ref UInt256 m = ref Unsafe.Add(ref stack, sp - 3);
                        UInt256.AddMod(Unsafe.Add(ref stack, sp - 1), Unsafe.Add(ref stack, sp - 2), m, out var result);
                        m = result;
                        sp -= 2;
                        break;
                    }

                case Opcode.MulMod:
                    {
                        ref UInt256 m = ref Unsafe.Add(ref stack, sp - 3);
                        UInt256.MulMod(Unsafe.Add(ref stack, sp - 1), Unsafe.Add(ref stack, sp - 2), m, out var result);
                        m = result;
                        sp -= 2;
                        break;
                    }

                case Opcode.Exp:
                    {
                        ref UInt256 exponent = ref Unsafe.Add(ref stack, sp - 2);
                        gas -= (long)GasCost.ExpByte * exponent.ByteLength;
                        if (gas < 0)
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        UInt256.Exp(Unsafe.Add(ref stack, sp - 1), exponent, out var result);
                        exponent = result;
                        sp--;
                        break;
                    }

                case Opcode.SignExtend:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.SignExtend(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Lt:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        b = UInt256.LessThan(Unsafe.Add(ref stack, sp - 1), b) ? UInt256.One : default;
                        sp--;
                        break;
                    }

                case Opcode.Gt:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        b = UInt256.LessThan(b, Unsafe.Add(ref stack, sp - 1)) ? UInt256.One : default;
                        sp--;
                        break;
                    }

                case Opcode.SLt:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        b = UInt256.SignedLessThan(Unsafe.Add(ref stack, sp - 1), b) ? UInt256.One : default;
                        sp--;
                        break;
                    }

                case Opcode.SGt:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        b = UInt256.SignedLessThan(b, Unsafe.Add(ref stack, sp - 1)) ? UInt256.One : default;
                        sp--;
                        break;
                    }

                case Opcode.Eq:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        b = Unsafe.Add(ref stack, sp - 1).Equals(b) ? UInt256.One : default;
                        sp--;
                        break;
                    }

                case Opcode.IsZero:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        a = a.IsZero ? UInt256.One : default;
                        break;
                    }

                case Opcode.And:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.And(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Or:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.Or(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Xor:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.Xor(Unsafe.Add(ref stack, sp - 1), b, out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Not:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        UInt256.Not(a, out var result);
                        a = result;
                        break;
                    }

                case Opcode.Byte:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        b = UInt256.Byte(Unsafe.Add(ref stack, sp - 1), b);
                        sp--;
                        break;
                    }

                case Opcode.Shl:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.ShiftLeft(b, Unsafe.Add(ref stack, sp - 1), out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Shr:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.ShiftRight(b, Unsafe.Add(ref stack, sp - 1), out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Sar:
                    {
                        ref UInt256 b = ref Unsafe.Add(ref stack, sp - 2);
                        UInt256.ArithmeticShiftRight(b, Unsafe.Add(ref stack, sp - 1), out var result);
                        b = result;
                        sp--;
                        break;
                    }

                case Opcode.Keccak256:
                    {
                        ref UInt256 length = ref Unsafe.Add(ref stack, sp - 2);
                        ref UInt256 offset = ref Unsafe.Add(ref stack, sp - 1);
                        if (!memory.TryExpand(ref gas, offset, length) || !ChargeWords(ref gas, length, GasCost.KeccakWord))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        ReadOnlySpan<byte> data = length.IsZero ? default : memory.Span.Slice((int)offset.U0, (int)length.U0);
                        Keccak256.Hash(data, scratch);
                        length = UInt256.FromBigEndian(scratch);
                        sp--;
                        break;
                    }

                case Opcode.Address:
                    Unsafe.Add(ref stack, sp++) = EvmWord.FromAddress(frame.Address);
                    break;

                case Opcode.Balance:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        var address = EvmWord.ToAddress(a);
                        if (!ChargeAccountAccess(ref gas, address))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        a = _state.GetBalance(address);
                        break;
                    }

                case Opcode.Origin:
                    Unsafe.Add(ref stack, sp++) = EvmWord.FromAddress(_transaction.Origin);
                    break;

                case Opcode.Caller:
                    Unsafe.Add(ref stack, sp++) = EvmWord.FromAddress(frame.Caller);
                    break;

                case Opcode.CallValue:
                    Unsafe.Add(ref stack, sp++) = frame.Value;
                    break;

                case Opcode.CallDataLoad:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        a = a.FitsInUlong ? EvmWord.ReadPadded(frame.Input.Span, a.U0, 32) : default;
                        break;
                    }

                case Opcode.CallDataSize:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)frame.Input.Length);
                    break;

                case Opcode.CallDataCopy:
                case Opcode.CodeCopy:
                    {
                        ref UInt256 memoryOffset = ref Unsafe.Add(ref stack, sp - 1);
                        ref UInt256 sourceOffset = ref Unsafe.Add(ref stack, sp - 2);
                        ref UInt256 length = ref Unsafe.Add(ref stack, sp - 3);
                        sp -= 3;
                        if (!memory.TryExpand(ref gas, memoryOffset, length) || !ChargeWords(ref gas, length, GasCost.Copy))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        if (!length.IsZero)
                        {
                            ReadOnlySpan<byte> source = op == Opcode.CodeCopy ? code : frame.Input.Span;
                            EvmWord.CopyPadded(source, sourceOffset, memory.Span.Slice((int)memoryOffset.U0, (int)length.U0));
                        }

                        break;
                    }

                case Opcode.CodeSize:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)code.Length);
                    break;

                case Opcode.GasPrice:
                    Unsafe.Add(ref stack, sp++) = _transaction.GasPrice;
                    break;

                case Opcode.ExtCodeSize:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        var address = EvmWord.ToAddress(a);
                        if (!ChargeAccountAccess(ref gas, address))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        a = new UInt256((ulong)_state.GetCode(address).Length);
                        break;
                    }

                case Opcode.ExtCodeCopy:
                    {
                        var address = EvmWord.ToAddress(Unsafe.Add(ref stack, sp - 1));
                        ref UInt256 memoryOffset = ref Unsafe.Add(ref stack, sp - 2);
                        ref UInt256 sourceOffset = ref Unsafe.Add(ref stack, sp - 3);
                        ref UInt256 length = ref Unsafe.Add(ref stack, sp - 4);
                        sp -= 4;
                        if (!memory.TryExpand(ref gas, memoryOffset, length) || !ChargeWords(ref gas, length, GasCost.Copy) || !ChargeAccountAccess(ref gas, address))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        if (!length.IsZero)
                        {
                            EvmWord.CopyPadded(_state.GetCode(address).Span, sourceOffset, memory.Span.Slice((int)memoryOffset.U0, (int)length.U0));
                        }

                        break;
                    }

                case Opcode.ReturnDataSize:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)frame.ReturnData.Length);
                    break;

                case Opcode.ReturnDataCopy:
                    {
                        ref UInt256 memoryOffset = ref Unsafe.Add(ref stack, sp - 1);
                        ref UInt256 dataOffset = ref Unsafe.Add(ref stack, sp - 2);
                        ref UInt256 length = ref Unsafe.Add(ref stack, sp - 3);
                        sp -= 3;
                        if (!memory.TryExpand(ref gas, memoryOffset, length) || !ChargeWords(ref gas, length, GasCost.Copy))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        // EIP-211: reading past the end of the return data is an exceptional halt, even for length 0.
                        byte[] returnData = frame.ReturnData;
                        if (!dataOffset.FitsInUlong || !length.FitsInUlong || dataOffset.U0 > (ulong)returnData.Length
                            || length.U0 > (ulong)returnData.Length - dataOffset.U0)
                        {
                            status = FrameStatus.ReturnDataOutOfBounds;
                            goto Done;
                        }

                        if (!length.IsZero)
                        {
                            returnData.AsSpan((int)dataOffset.U0, (int)length.U0).CopyTo(memory.Span[(int)memoryOffset.U0..]);
                        }

                        break;
                    }

                case Opcode.ExtCodeHash:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        var address = EvmWord.ToAddress(a);
                        if (!ChargeAccountAccess(ref gas, address))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        // EIP-1052: zero for an account that does not exist or is empty (EIP-161).
                        a = _state.IsDeadAccount(address) ? default : EvmWord.FromHash(_state.GetCodeHash(address));
                        break;
                    }

                case Opcode.BlockHash:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        a = BlockHashOf(a);
                        break;
                    }

                case Opcode.Coinbase:
                    Unsafe.Add(ref stack, sp++) = EvmWord.FromAddress(_block.Coinbase);
                    break;

                case Opcode.Timestamp:
                    Unsafe.Add(ref stack, sp++) = new UInt256(_block.Timestamp);
                    break;

                case Opcode.Number:
                    Unsafe.Add(ref stack, sp++) = new UInt256(_block.Number);
                    break;

                case Opcode.PrevRandao:
                    Unsafe.Add(ref stack, sp++) = _block.PrevRandao;
                    break;

                case Opcode.GasLimit:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)_block.GasLimit);
                    break;

                case Opcode.ChainId:
                    Unsafe.Add(ref stack, sp++) = new UInt256(_block.ChainId);
                    break;

                case Opcode.SelfBalance:
                    Unsafe.Add(ref stack, sp++) = _state.GetBalance(frame.Address);
                    break;

                case Opcode.BaseFee:
                    Unsafe.Add(ref stack, sp++) = _block.BaseFee;
                    break;

                case Opcode.BlobHash:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        var hashes = _transaction.BlobVersionedHashes;
                        a = a.FitsInUlong && a.U0 < (ulong)hashes.Count ? EvmWord.FromHash(hashes[(int)a.U0]) : default;
                        break;
                    }

                case Opcode.BlobBaseFee:
                    Unsafe.Add(ref stack, sp++) = _block.BlobBaseFee;
                    break;

                case Opcode.Pop:
                    sp--;
                    break;

                case Opcode.MLoad:
                    {
                        ref UInt256 a = ref Unsafe.Add(ref stack, sp - 1);
                        if (!memory.TryExpand(ref gas, a, new UInt256(32)))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        a = UInt256.FromBigEndian(memory.Span.Slice((int)a.U0, 32));
                        break;
                    }

                case Opcode.MStore:
                    {
                        ref UInt256 offset = ref Unsafe.Add(ref stack, sp - 1);
                        if (!memory.TryExpand(ref gas, offset, new UInt256(32)))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        Unsafe.Add(ref stack, sp - 2).WriteBigEndian(memory.Span.Slice((int)offset.U0, 32));
                        sp -= 2;
                        break;
                    }

                case Opcode.MStore8:
                    {
                        ref UInt256 offset = ref Unsafe.Add(ref stack, sp - 1);
                        if (!memory.TryExpand(ref gas, offset, UInt256.One))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        memory.Span[(int)offset.U0] = (byte)Unsafe.Add(ref stack, sp - 2).U0;
                        sp -= 2;
                        break;
                    }

                case Opcode.SLoad:
                    {
                        ref UInt256 key = ref Unsafe.Add(ref stack, sp - 1);
                        if (!_state.WarmUpStorage(frame.Address, key))
                        {
                            gas -= GasCost.ColdSload - GasCost.WarmAccess;
                            if (gas < 0)
                            {
                                status = FrameStatus.OutOfGas;
                                goto Done;
                            }
                        }

                        key = _state.GetStorage(frame.Address, key);
                        break;
                    }

                case Opcode.SStore:
                    status = StoreStorage(frame, Unsafe.Add(ref stack, sp - 1), Unsafe.Add(ref stack, sp - 2), ref gas);
                    if (status != FrameStatus.Success)
                    {
                        goto Done;
                    }

                    sp -= 2;
                    break;

                case Opcode.Jump:
                    {
                        ref UInt256 destination = ref Unsafe.Add(ref stack, sp - 1);
                        if (!JumpDestinations.IsValid(frame.JumpDestinations, destination))
                        {
                            status = FrameStatus.InvalidJump;
                            goto Done;
                        }

                        pc = (int)destination.U0;
                        sp--;
                        break;
                    }

                case Opcode.JumpI:
                    {
                        ref UInt256 destination = ref Unsafe.Add(ref stack, sp - 1);
                        if (!Unsafe.Add(ref stack, sp - 2).IsZero)
                        {
                            if (!JumpDestinations.IsValid(frame.JumpDestinations, destination))
                            {
                                status = FrameStatus.InvalidJump;
                                goto Done;
                            }

                            pc = (int)destination.U0;
                        }

                        sp -= 2;
                        break;
                    }

                case Opcode.Pc:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)(pc - 1));
                    break;

                case Opcode.MSize:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)memory.Size);
                    break;

                case Opcode.Gas:
                    Unsafe.Add(ref stack, sp++) = new UInt256((ulong)gas);
                    break;

                case Opcode.JumpDest:
                    break;

                case Opcode.TLoad:
                    {
                        ref UInt256 key = ref Unsafe.Add(ref stack, sp - 1);
                        key = _state.GetTransientStorage(frame.Address, key);
                        break;
                    }

                case Opcode.TStore:
                    if (frame.IsStatic)
                    {
                        status = FrameStatus.StaticViolation;
                        goto Done;
                    }

                    _state.SetTransientStorage(frame.Address, Unsafe.Add(ref stack, sp - 1), Unsafe.Add(ref stack, sp - 2));
                    sp -= 2;
                    break;

                case Opcode.MCopy:
                    {
                        ref UInt256 destination = ref Unsafe.Add(ref stack, sp - 1);
                        ref UInt256 source = ref Unsafe.Add(ref stack, sp - 2);
                        ref UInt256 length = ref Unsafe.Add(ref stack, sp - 3);
                        sp -= 3;
                        if (!EvmMemory.TryGetEnd(destination, length, out ulong destinationEnd) || !EvmMemory.TryGetEnd(source, length, out ulong sourceEnd)
                            || !memory.TryExpand(ref gas, Math.Max(destinationEnd, sourceEnd)) || !ChargeWords(ref gas, length, GasCost.Copy))
                        {
                            gas = 0;
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        if (!length.IsZero)
                        {
                            // Span.CopyTo has memmove semantics, as EIP-5656 requires for overlapping regions.
                            memory.Span.Slice((int)source.U0, (int)length.U0).CopyTo(memory.Span[(int)destination.U0..]);
                        }

                        break;
                    }

                case Opcode.Push0:
                    Unsafe.Add(ref stack, sp++) = default;
                    break;

                case Opcode.Push1:
                    Unsafe.Add(ref stack, sp++) = new UInt256((uint)pc < (uint)code.Length ? code[pc] : 0UL);
                    pc++;
                    break;

                case Opcode.Push1 + 1:
                    if (pc + 2 <= code.Length)
                    {
                        Unsafe.Add(ref stack, sp++) = new UInt256(((ulong)code[pc] << 8) | code[pc + 1]);
                    }
                    else
                    {
                        Unsafe.Add(ref stack, sp++) = EvmWord.ReadPadded(code, (ulong)pc, 2);
                    }

                    pc += 2;
                    break;

                case >= Opcode.Push1 + 2 and <= Opcode.Push32:
                    {
                        int length = op - Opcode.Push1 + 1;
                        Unsafe.Add(ref stack, sp++) = EvmWord.ReadPadded(code, (ulong)pc, length);
                        pc += length;
                        break;
                    }

                case >= Opcode.Dup1 and <= Opcode.Dup16:
                    Unsafe.Add(ref stack, sp) = Unsafe.Add(ref stack, sp - (op - Opcode.Dup1 + 1));
                    sp++;
                    break;

                case >= Opcode.Swap1 and <= Opcode.Swap16:
                    {
                        ref UInt256 top = ref Unsafe.Add(ref stack, sp - 1);
                        ref UInt256 other = ref Unsafe.Add(ref stack, sp - 2 - (op - Opcode.Swap1));
                        (top, other) = (other, top);
                        break;
                    }

                case >= Opcode.Log0 and <= Opcode.Log4:
                    status = EmitLog(frame, op - Opcode.Log0, ref stack, ref sp, ref gas);
                    if (status != FrameStatus.Success)
                    {
                        goto Done;
                    }

                    break;

                case Opcode.Create:
                case Opcode.Create2:
                    status = CreateFromCode(frame, op, ref stack, ref sp, ref gas);
                    if (status != FrameStatus.Success)
                    {
                        goto Done;
                    }

                    break;

                case Opcode.Call:
                case Opcode.CallCode:
                case Opcode.DelegateCall:
                case Opcode.StaticCall:
                    status = CallFromCode(frame, op, ref stack, ref sp, ref gas);
                    if (status != FrameStatus.Success)
                    {
                        goto Done;
                    }

                    break;

                case Opcode.Return:
                case Opcode.Revert:
                    {
                        ref UInt256 offset = ref Unsafe.Add(ref stack, sp - 1);
                        ref UInt256 length = ref Unsafe.Add(ref stack, sp - 2);
                        if (!memory.TryExpand(ref gas, offset, length))
                        {
                            status = FrameStatus.OutOfGas;
                            goto Done;
                        }

                        frame.Output = length.IsZero ? NoBytes : memory.Span.Slice((int)offset.U0, (int)length.U0).ToArray();
                        status = op == Opcode.Return ? FrameStatus.Success : FrameStatus.Revert;
                        goto Done;
                    }

                case Opcode.SelfDestruct:
                    status = SelfDestruct(frame, Unsafe.Add(ref stack, sp - 1), ref gas);
                    goto Done;

                default:
                    frame.InvalidOpcode = op;
                    status = FrameStatus.InvalidOpcode;
                    goto Done;
            }
        }

    Done:
        frame.Gas = status is FrameStatus.Success or FrameStatus.Revert ? gas : 0;
        return status;
    }

    /// <summary>Charges <paramref name="perWord"/> gas per 32-byte word of a length already bounded by a memory expansion.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ChargeWords(ref long gas, in UInt256 length, int perWord)
    {
        gas -= (long)((length.U0 + 31) / 32) * perWord;
        return gas >= 0;
    }

    /// <summary>EIP-2929: the extra cost of a cold account (the warm 100 is the opcode's constant gas).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ChargeAccountAccess(ref long gas, in Address address)
    {
        if (!_state.WarmUpAccount(address))
        {
            gas -= GasCost.ColdAccountAccess - GasCost.WarmAccess;
        }

        return gas >= 0;
    }

    private UInt256 BlockHashOf(in UInt256 number)
    {
        ulong current = _block.Number;
        if (!number.FitsInUlong || number.U0 >= current || current - number.U0 > 256 || _block.BlockHashProvider is null)
        {
            return default;
        }

        return EvmWord.FromHash(_block.BlockHashProvider(number.U0));
    }
}
