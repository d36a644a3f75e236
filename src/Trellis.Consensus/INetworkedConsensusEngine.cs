using Trellis.Core;
using Trellis.Ledger.Blocks;

namespace Trellis.Consensus;

/// <summary>
/// An engine that agrees with other nodes (HotStuff, Raft). Besides <see cref="IConsensusEngine"/> it takes the
/// peer network, consensus messages from peers, and committed blocks fetched by block sync. The engine is the only
/// writer of the block store: synced blocks are verified, executed and committed on the engine's own thread.
/// </summary>
public interface INetworkedConsensusEngine : IConsensusEngine
{
    /// <summary>Gives the engine its network; call once, before <see cref="IConsensusEngine.Start"/>.</summary>
    void Connect(IConsensusNetwork network);

    /// <summary>
    /// Hands over a consensus message from the peer whose certificate carries signing address <paramref name="from"/>
    /// (authenticated by the transport). Never throws: malformed or hostile input is counted, logged and dropped.
    /// </summary>
    void Receive(Address from, ReadOnlyMemory<byte> message);

    /// <summary>
    /// Checks that <paramref name="block"/>'s consensus certificate proves it committed at its height (for example
    /// a quorum of the validator set's signatures). Pure: does not touch the store. False with a reason otherwise.
    /// </summary>
    bool VerifyCommitCertificate(Block block, out string? error);

    /// <summary>
    /// Applies committed blocks fetched by block sync: they must follow the store's head in height order. Each is
    /// checked with <see cref="VerifyCommitCertificate"/>, executed (the result must match its header) and committed,
    /// on the engine's thread. Completes with the number applied; stops at the first bad block and reports why.
    /// </summary>
    Task<SyncApplyResult> ApplySyncedBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken);

    /// <summary>
    /// The highest height the engine has seen evidence of (a certificate or proposal from peers) beyond its own
    /// committed head; block sync uses it to decide when to fetch. Equal to the head height when not behind.
    /// </summary>
    ulong KnownNetworkHeight { get; }

    /// <summary>The node's current role for status displays: "leader", "validator", "follower", "candidate", "observer".</summary>
    string Role { get; }

    /// <summary>
    /// Decodes <paramref name="block"/>'s certificate for display (<c>trellis_getBlockCertificate</c>): its round and
    /// its signers' addresses. Null when the block has no certificate this engine understands. Does not verify it
    /// (see <see cref="VerifyCommitCertificate"/>).
    /// </summary>
    CommitCertificateInfo? DescribeCommitCertificate(Block block) => null;
}
