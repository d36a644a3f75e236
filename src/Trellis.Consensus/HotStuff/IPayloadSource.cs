namespace Trellis.Consensus.HotStuff;

/// <summary>Supplies a leader's payload (normally transactions from the pool).</summary>
public interface IPayloadSource
{
    /// <summary>
    /// The payload for a block extending <paramref name="uncommittedBranch"/>'s last block (or the last committed block
    /// when the branch is empty). The branch lists the proposed but uncommitted blocks, oldest first, so the source
    /// can leave out what they already carry.
    /// </summary>
    byte[] CreatePayload(IReadOnlyList<HotStuffBlock> uncommittedBranch);
}
