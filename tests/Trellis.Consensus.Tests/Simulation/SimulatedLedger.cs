using System.Buffers.Binary;
using Trellis.Consensus.HotStuff;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.Tests.Simulation;

/// <summary>
/// The simulator's application: a payload is a list of 8-byte transaction ids; the state root is
/// hash(parent state root ‖ payload). A transaction id with the top bit set is invalid (execution fails), which is
/// how Byzantine leaders' invalid proposals are made.
/// </summary>
internal sealed class SimulatedLedger(ICryptoSuite suite) : IHotStuffExecutor
{
    public const ulong InvalidMarker = 1UL << 63;

    public int Executions { get; private set; }

    public static byte[] Encode(IReadOnlyList<ulong> transactions)
    {
        var payload = new byte[transactions.Count * 8];
        for (int i = 0; i < transactions.Count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(i * 8), transactions[i]);
        }

        return payload;
    }

    public static bool TryDecode(ReadOnlySpan<byte> payload, out List<ulong> transactions)
    {
        transactions = [];
        if (payload.Length % 8 != 0)
        {
            return false;
        }

        for (int i = 0; i < payload.Length; i += 8)
        {
            transactions.Add(BinaryPrimitives.ReadUInt64BigEndian(payload[i..]));
        }

        return true;
    }

    public Hash256 StateRoot(Hash256 parentRoot, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[32 + payload.Length];
        parentRoot.Bytes.CopyTo(buffer);
        payload.CopyTo(buffer.AsSpan(32));
        return suite.Hash(buffer);
    }

    public bool TryExecute(HotStuffBlock parent, IReadOnlyList<HotStuffBlock> uncommittedBranch, long view, ReadOnlyMemory<byte> payload, out Hash256 stateRoot, out string? error) =>
        TryExecute(parent, payload, out stateRoot, out error);

    public bool TryExecute(HotStuffBlock parent, ReadOnlyMemory<byte> payload, out Hash256 stateRoot, out string? error)
    {
        Executions++;
        stateRoot = default;
        if (!TryDecode(payload.Span, out var transactions))
        {
            error = $"payload length {payload.Length} is not a multiple of 8";
            return false;
        }

        foreach (var tx in transactions)
        {
            if ((tx & InvalidMarker) != 0)
            {
                error = $"transaction {tx:x} is invalid";
                return false;
            }
        }

        stateRoot = StateRoot(parent.StateRoot, payload.Span);
        error = null;
        return true;
    }
}
