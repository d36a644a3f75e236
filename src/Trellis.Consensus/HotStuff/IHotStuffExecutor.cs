using Trellis.Core;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Executes a payload on top of a block's resulting state (execute-then-vote): a validator votes for a proposal only
/// if its own execution succeeds and yields the proposal's state root.
/// </summary>
public interface IHotStuffExecutor
{
    /// <summary>Executes <paramref name="payload"/> on the state after <paramref name="parent"/>; false (with a reason) when the payload is invalid.</summary>
    bool TryExecute(HotStuffBlock parent, ReadOnlyMemory<byte> payload, out Hash256 stateRoot, out string? error);
}
