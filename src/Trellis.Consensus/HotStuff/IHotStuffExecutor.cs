using Trellis.Core;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Executes a payload on top of a block's resulting state (execute-then-vote): a validator votes for a proposal only
/// if its own execution succeeds and yields the proposal's state root.
/// </summary>
public interface IHotStuffExecutor
{
    /// <summary>
    /// Executes <paramref name="payload"/>, proposed in <paramref name="view"/>, on the state after
    /// <paramref name="parent"/>; false (with a reason) when the payload is invalid. <paramref name="uncommittedBranch"/>
    /// lists the blocks above the last committed one up to and including <paramref name="parent"/>, oldest first
    /// (empty when the parent is the committed block), so an executor can execute ancestors it has not seen yet.
    /// </summary>
    bool TryExecute(HotStuffBlock parent, IReadOnlyList<HotStuffBlock> uncommittedBranch, long view, ReadOnlyMemory<byte> payload, out Hash256 stateRoot, out string? error);
}
