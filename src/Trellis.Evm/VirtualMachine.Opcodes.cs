using System.Runtime.CompilerServices;
using Trellis.Core;

namespace Trellis.Evm;

public sealed partial class VirtualMachine
{
    /// <summary>SSTORE with the EIP-2200 metering as amended by EIP-2929 (cold slots) and EIP-3529 (refunds).</summary>
    private FrameStatus StoreStorage(ExecutionFrame frame, in UInt256 key, in UInt256 value, ref long gas)
    {
        if (frame.IsStatic)
        {
            return FrameStatus.StaticViolation;
        }

        // EIP-2200: the call stipend alone may never pay for a store (re-entrancy sentry).
        if (gas <= GasCost.SstoreSentry)
        {
            return FrameStatus.OutOfGas;
        }

        long cost = 0;
        if (!_state.WarmUpStorage(frame.Address, key))
        {
            cost = GasCost.ColdSload;
        }

        var current = _state.GetStorage(frame.Address, key);
        if (current.Equals(value))
        {
            cost += GasCost.WarmAccess;
        }
        else
        {
            var original = _state.GetOriginalStorage(frame.Address, key);
            if (original.Equals(current))
            {
                if (original.IsZero)
                {
                    cost += GasCost.SstoreSet;
                }
                else
                {
                    cost += GasCost.SstoreReset;
                    if (value.IsZero)
                    {
                        _refund += GasCost.SstoreClearRefund;
                    }
                }
            }
            else
            {
                cost += GasCost.WarmAccess;
                if (!original.IsZero)
                {
                    if (current.IsZero)
                    {
                        _refund -= GasCost.SstoreClearRefund;
                    }
                    else if (value.IsZero)
                    {
                        _refund += GasCost.SstoreClearRefund;
                    }
                }

                if (original.Equals(value))
                {
                    _refund += original.IsZero
                        ? GasCost.SstoreSet - GasCost.WarmAccess
                        : GasCost.SstoreReset - GasCost.WarmAccess;
                }
            }
        }

        gas -= cost;
        if (gas < 0)
        {
            return FrameStatus.OutOfGas;
        }

        if (!current.Equals(value))
        {
            _state.SetStorage(frame.Address, key, value);
        }

        return FrameStatus.Success;
    }

    /// <summary>LOG0..LOG4: 375 per topic and 375 base (in the opcode table), 8 per data byte, memory expansion.</summary>
    private FrameStatus EmitLog(ExecutionFrame frame, int topicCount, ref UInt256 stack, ref int sp, ref long gas)
    {
        if (frame.IsStatic)
        {
            return FrameStatus.StaticViolation;
        }

        var offset = Unsafe.Add(ref stack, sp - 1);
        var length = Unsafe.Add(ref stack, sp - 2);
        if (!frame.Memory.TryExpand(ref gas, offset, length))
        {
            return FrameStatus.OutOfGas;
        }

        gas -= (long)length.U0 * GasCost.LogData;
        if (gas < 0)
        {
            return FrameStatus.OutOfGas;
        }

        var topics = topicCount == 0 ? [] : new Hash256[topicCount];
        for (int i = 0; i < topicCount; i++)
        {
            topics[i] = EvmWord.ToHash(Unsafe.Add(ref stack, sp - 3 - i));
        }

        byte[] data = length.IsZero ? NoBytes : frame.Memory.Span.Slice((int)offset.U0, (int)length.U0).ToArray();
        _logs.Add(new LogEntry(frame.Address, topics, data));
        sp -= topicCount + 2;
        return FrameStatus.Success;
    }

    /// <summary>CREATE and CREATE2 from running code: EIP-3860 limits and word cost, all but 1/64 of the gas forwarded.</summary>
    private FrameStatus CreateFromCode(ExecutionFrame frame, byte op, ref UInt256 stack, ref int sp, ref long gas)
    {
        if (frame.IsStatic)
        {
            return FrameStatus.StaticViolation;
        }

        var value = Unsafe.Add(ref stack, sp - 1);
        var offset = Unsafe.Add(ref stack, sp - 2);
        var length = Unsafe.Add(ref stack, sp - 3);
        bool isCreate2 = op == Opcode.Create2;
        var salt = isCreate2 ? Unsafe.Add(ref stack, sp - 4) : default;
        if (!length.FitsInUlong || length.U0 > GasCost.MaxInitCodeSize)
        {
            return FrameStatus.InitCodeTooLarge;
        }

        if (!frame.Memory.TryExpand(ref gas, offset, length))
        {
            return FrameStatus.OutOfGas;
        }

        long words = (long)((length.U0 + 31) / 32);
        gas -= words * (isCreate2 ? GasCost.InitCodeWord + GasCost.KeccakWord : GasCost.InitCodeWord);
        if (gas < 0)
        {
            return FrameStatus.OutOfGas;
        }

        // The init code runs in a child frame while this frame's memory cannot change, so it is not copied.
        ReadOnlyMemory<byte> initCode = length.IsZero ? ReadOnlyMemory<byte>.Empty : frame.Memory.Slice((int)offset.U0, (int)length.U0);
        var newAddress = isCreate2
            ? ContractAddresses.FromSalt(_state.Suite, frame.Address, salt, initCode.Span)
            : ContractAddresses.FromNonce(_state.Suite, frame.Address, _state.GetNonce(frame.Address));

        long childGas = gas - (gas / 64);
        gas -= childGas;
        var outcome = CreateContract(frame.Address, newAddress, value, initCode, childGas, frame.Depth + 1, incrementCallerNonce: true);
        gas += outcome.GasLeft;

        sp -= isCreate2 ? 3 : 2;
        Unsafe.Add(ref stack, sp - 1) = outcome.Status == FrameStatus.Success ? EvmWord.FromAddress(newAddress) : default;
        frame.ReturnData = outcome.Status == FrameStatus.Revert ? outcome.Output : NoBytes;
        return FrameStatus.Success;
    }

    /// <summary>CALL, CALLCODE, DELEGATECALL and STATICCALL from running code (EIP-150 63/64, EIP-2929 access costs).</summary>
    private FrameStatus CallFromCode(ExecutionFrame frame, byte op, ref UInt256 stack, ref int sp, ref long gas)
    {
        var requestedGas = Unsafe.Add(ref stack, sp - 1);
        var target = EvmWord.ToAddress(Unsafe.Add(ref stack, sp - 2));
        bool hasValue = op is Opcode.Call or Opcode.CallCode;
        int next = sp - 3;
        var value = hasValue ? Unsafe.Add(ref stack, next--) : default;
        var inputOffset = Unsafe.Add(ref stack, next);
        var inputLength = Unsafe.Add(ref stack, next - 1);
        var outputOffset = Unsafe.Add(ref stack, next - 2);
        var outputLength = Unsafe.Add(ref stack, next - 3);
        int resultSlot = next - 3;

        if (op == Opcode.Call && frame.IsStatic && !value.IsZero)
        {
            return FrameStatus.StaticViolation;
        }

        if (!EvmMemory.TryGetEnd(inputOffset, inputLength, out ulong inputEnd)
            || !EvmMemory.TryGetEnd(outputOffset, outputLength, out ulong outputEnd)
            || !frame.Memory.TryExpand(ref gas, Math.Max(inputEnd, outputEnd)))
        {
            return FrameStatus.OutOfGas;
        }

        long cost = 0;
        if (!_state.WarmUpAccount(target))
        {
            cost += GasCost.ColdAccountAccess - GasCost.WarmAccess;
        }

        if (!value.IsZero)
        {
            cost += GasCost.CallValue;
            if (op == Opcode.Call && _state.IsDeadAccount(target))
            {
                cost += GasCost.NewAccount;
            }
        }

        gas -= cost;
        if (gas < 0)
        {
            return FrameStatus.OutOfGas;
        }

        // EIP-150: at most all but one 64th of what is left may be forwarded.
        long available = gas - (gas / 64);
        long childGas = requestedGas.FitsInUlong && requestedGas.U0 < (ulong)available ? (long)requestedGas.U0 : available;
        gas -= childGas;
        if (!value.IsZero)
        {
            childGas += GasCost.CallStipend;
        }

        // The input is read by the child while this frame's memory cannot change, so it is not copied.
        ReadOnlyMemory<byte> input = inputLength.IsZero ? ReadOnlyMemory<byte>.Empty : frame.Memory.Slice((int)inputOffset.U0, (int)inputLength.U0);
        CallOutcome outcome = op switch
        {
            Opcode.Call => MessageCall(CallKind.Call, frame.Address, target, target, value, input, childGas, frame.IsStatic, frame.Depth + 1),
            Opcode.CallCode => MessageCall(CallKind.CallCode, frame.Address, target, frame.Address, value, input, childGas, frame.IsStatic, frame.Depth + 1),
            Opcode.DelegateCall => MessageCall(CallKind.DelegateCall, frame.Caller, target, frame.Address, frame.Value, input, childGas, frame.IsStatic, frame.Depth + 1),
            _ => MessageCall(CallKind.StaticCall, frame.Address, target, target, default, input, childGas, isStatic: true, frame.Depth + 1),
        };
        gas += outcome.GasLeft;

        Unsafe.Add(ref stack, resultSlot) = outcome.Status == FrameStatus.Success ? UInt256.One : default;
        sp = resultSlot + 1;
        frame.ReturnData = outcome.Output;
        if (outcome.Output.Length != 0 && !outputLength.IsZero)
        {
            int copied = (int)Math.Min((ulong)outcome.Output.Length, outputLength.U0);
            outcome.Output.AsSpan(0, copied).CopyTo(frame.Memory.Span[(int)outputOffset.U0..]);
        }

        return FrameStatus.Success;
    }

    /// <summary>SELFDESTRUCT with EIP-6780: the balance always moves; the account is deleted only if created in this transaction.</summary>
    private FrameStatus SelfDestruct(ExecutionFrame frame, in UInt256 beneficiaryWord, ref long gas)
    {
        if (frame.IsStatic)
        {
            return FrameStatus.StaticViolation;
        }

        var beneficiary = EvmWord.ToAddress(beneficiaryWord);
        long cost = 0;
        if (!_state.WarmUpAccount(beneficiary))
        {
            cost += GasCost.ColdAccountAccess;
        }

        var self = frame.Address;
        var balance = _state.GetBalance(self);
        if (!balance.IsZero && _state.IsDeadAccount(beneficiary))
        {
            cost += GasCost.NewAccount;
        }

        gas -= cost;
        if (gas < 0)
        {
            return FrameStatus.OutOfGas;
        }

        if (_state.IsCreatedInCurrentTransaction(self))
        {
            // Sending to itself burns the balance: the account and everything in it go at the end of the transaction.
            if (!balance.IsZero)
            {
                _state.SubtractBalance(self, balance);
                if (beneficiary != self)
                {
                    _state.AddBalance(beneficiary, balance);
                }
            }

            _state.MarkForDeletion(self);
        }
        else if (!balance.IsZero && beneficiary != self)
        {
            _state.SubtractBalance(self, balance);
            _state.AddBalance(beneficiary, balance);
        }

        _state.Touch(beneficiary);
        return FrameStatus.Success;
    }
}
