using System.Buffers;
using Trellis.Core;

namespace Trellis.Evm;

/// <summary>
/// The machine state of one running frame (yellow paper μ plus the message I): code, input, stack, memory,
/// return-data buffer. Frames are kept per depth by the <see cref="VirtualMachine"/> and reused.
/// </summary>
internal sealed class ExecutionFrame
{
    public ReadOnlyMemory<byte> Code;
    public ulong[] JumpDestinations = [];
    public ReadOnlyMemory<byte> Input;
    public Address Address;
    public Address Caller;
    public UInt256 Value;
    public bool IsStatic;
    public int Depth;
    public long Gas;
    public byte[] Output = [];
    public byte[] ReturnData = [];
    public byte InvalidOpcode;
    public UInt256[] Stack = [];
    public readonly EvmMemory Memory = new();

    /// <summary>Prepares the frame for a new message.</summary>
    public void Start(ReadOnlyMemory<byte> code, ulong[] jumpDestinations, ReadOnlyMemory<byte> input, in Address address, in Address caller, in UInt256 value, bool isStatic, int depth, long gas)
    {
        Code = code;
        JumpDestinations = jumpDestinations;
        Input = input;
        Address = address;
        Caller = caller;
        Value = value;
        IsStatic = isStatic;
        Depth = depth;
        Gas = gas;
        Output = [];
        ReturnData = [];
        InvalidOpcode = 0;
        if (Stack.Length == 0)
        {
            Stack = ArrayPool<UInt256>.Shared.Rent(OpcodeInfo.StackLimit);
        }

        Memory.Reset();
    }

    /// <summary>Drops references to the message's data and returns the pooled buffers.</summary>
    public void Release()
    {
        Code = default;
        Input = default;
        Output = [];
        ReturnData = [];
        if (Stack.Length != 0)
        {
            ArrayPool<UInt256>.Shared.Return(Stack);
            Stack = [];
        }

        Memory.Release();
    }
}
