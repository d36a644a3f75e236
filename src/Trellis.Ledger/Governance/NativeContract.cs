using System.Buffers.Binary;
using Trellis.Core;
using Trellis.Evm.SystemContracts;

namespace Trellis.Ledger.Governance;

/// <summary>
/// What every governance contract does around its functions: the fixed call cost, refusing value, finding the
/// function by its Solidity selector, and turning reverts and running out of gas into the call's result.
/// </summary>
internal abstract class NativeContract : ISystemContract
{
    private readonly Dictionary<uint, string> _functions = [];

    protected NativeContract(Address address, string interfaceName, params string[] signatures)
    {
        Address = address;
        InterfaceName = interfaceName;
        foreach (string signature in signatures)
        {
            _functions.Add(Selector(signature), signature);
        }
    }

    public Address Address { get; }

    /// <summary>The Solidity interface in contracts/ (for error messages).</summary>
    public string InterfaceName { get; }

    /// <summary>The function signatures this contract answers, e.g. "memberCount()".</summary>
    public IEnumerable<string> Signatures => _functions.Values;

    public SystemCallResult Call(SystemCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        GovernanceStore store = GovernanceStore.ForCall(call.State, call.Gas, call.IsStatic);
        try
        {
            store.Charge(GovernanceGas.Call);
            if (!call.Value.IsZero)
            {
                throw new GovernanceRevertException($"{InterfaceName} does not accept value (sent {call.Value} wei)");
            }

            ReadOnlySpan<byte> input = call.Input.Span;
            if (input.Length < 4)
            {
                throw new GovernanceRevertException($"calldata of {input.Length} bytes has no 4-byte function selector ({InterfaceName})");
            }

            uint selector = BinaryPrimitives.ReadUInt32BigEndian(input);
            if (!_functions.TryGetValue(selector, out string? signature))
            {
                throw new GovernanceRevertException($"unknown function selector 0x{selector:x8} for {InterfaceName} at {Address}");
            }

            byte[] output = Run(signature, input[4..], store, call);
            return SystemCallResult.Success(store.GasUsed, output, store.Logs);
        }
        catch (GovernanceRevertException revert)
        {
            return SystemCallResult.Revert(Math.Min(store.GasUsed, call.Gas), revert.Message);
        }
        catch (GovernanceOutOfGasException)
        {
            return SystemCallResult.OutOfGas();
        }
    }

    /// <summary>Runs one function; throws <see cref="GovernanceRevertException"/> to revert.</summary>
    protected abstract byte[] Run(string signature, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call);

    /// <summary>The first four bytes of Keccak-256 of the signature, big-endian.</summary>
    public static uint Selector(string signature) =>
        BinaryPrimitives.ReadUInt32BigEndian(Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(signature)).Bytes);

    protected static byte[] Word(ulong value) => new AbiWriter().UInt(value).ToArray();

    protected static byte[] Word(bool value) => new AbiWriter().Bool(value).ToArray();
}
