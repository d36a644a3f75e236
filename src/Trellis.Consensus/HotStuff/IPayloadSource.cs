namespace Trellis.Consensus.HotStuff;

/// <summary>Supplies a leader's payload (normally transactions from the pool) and says whether there is work at all.</summary>
public interface IPayloadSource
{
    /// <summary>
    /// The payload for a block extending <paramref name="uncommittedBranch"/>'s last block (or the last committed block
    /// when the branch is empty). The branch lists the proposed but uncommitted blocks, oldest first, so the source
    /// can leave out what they already carry. Null means "do not propose now" (nothing to do, or too soon after the
    /// parent); the replica asks again on later ticks while it leads the view.
    /// </summary>
    byte[]? CreatePayload(IReadOnlyList<HotStuffBlock> uncommittedBranch);

    /// <summary>
    /// True when the chain has work to make progress on: transactions waiting, or uncommitted blocks that still
    /// carry transactions. While false, a replica does not let its view time out (an idle chain is not a failed one).
    /// </summary>
    bool HasWork(IReadOnlyList<HotStuffBlock> uncommittedBranch);
}
