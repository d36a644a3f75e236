using Trellis.Consensus.HotStuff;

namespace Trellis.Consensus.Tests.Simulation;

/// <summary>
/// A validator's transaction pool in the simulator. It lives on the simulated disk (survives restarts) so that a
/// transaction a validator accepted is eventually proposed by it. A leader proposes what is neither committed nor
/// already in the uncommitted branch it extends.
/// </summary>
internal sealed class SimulatedPool : IPayloadSource
{
    private readonly SortedSet<ulong> _pending = [];
    private readonly HashSet<ulong> _committed = [];

    public int MaxPerBlock { get; init; } = 16;

    /// <summary>
    /// When set, the pool behaves like the node's: no proposal and no view timeouts while nothing is pending and the
    /// uncommitted branch carries no transactions. Off by default, so the randomized seeds keep their runs.
    /// </summary>
    public bool IdleWhenEmpty { get; init; }

    public bool HasWork(IReadOnlyList<HotStuffBlock> uncommittedBranch)
    {
        if (!IdleWhenEmpty)
        {
            return true;
        }

        foreach (var block in uncommittedBranch)
        {
            if (block.Payload.Length > 0)
            {
                return true;
            }
        }

        return PendingOutside(uncommittedBranch).Count > 0;
    }

    public bool Add(ulong tx) => !_committed.Contains(tx) && _pending.Add(tx);

    public void MarkCommitted(HotStuffBlock block)
    {
        if (SimulatedLedger.TryDecode(block.Payload.Span, out var txs))
        {
            foreach (var tx in txs)
            {
                _committed.Add(tx);
                _pending.Remove(tx);
            }
        }
    }

    public bool IsCommitted(ulong tx) => _committed.Contains(tx);

    public bool HasCommittedAll(HashSet<ulong> transactions) => _committed.IsSupersetOf(transactions);

    public byte[]? CreatePayload(IReadOnlyList<HotStuffBlock> uncommittedBranch)
    {
        var chosen = PendingOutside(uncommittedBranch);
        return IdleWhenEmpty && chosen.Count == 0 && !HasWork(uncommittedBranch) ? null : SimulatedLedger.Encode(chosen);
    }

    private List<ulong> PendingOutside(IReadOnlyList<HotStuffBlock> uncommittedBranch)
    {
        var inBranch = new HashSet<ulong>();
        foreach (var block in uncommittedBranch)
        {
            if (SimulatedLedger.TryDecode(block.Payload.Span, out var txs))
            {
                inBranch.UnionWith(txs);
            }
        }

        var chosen = new List<ulong>();
        foreach (var tx in _pending)
        {
            if (chosen.Count >= MaxPerBlock)
            {
                break;
            }

            if (!inBranch.Contains(tx))
            {
                chosen.Add(tx);
            }
        }

        return chosen;
    }
}
