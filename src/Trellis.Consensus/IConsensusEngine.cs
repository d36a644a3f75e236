using Trellis.Ledger.Pool;

namespace Trellis.Consensus;

/// <summary>
/// Decides which blocks the node commits. Engines are siblings under this abstraction (Solo now; Raft and HotStuff
/// later): each takes transactions from the node's pool, agrees on blocks by its own rules, commits them to the
/// block store and reports every committed block, in height order, through <see cref="BlockCommitted"/>.
/// </summary>
public interface IConsensusEngine : IAsyncDisposable
{
    /// <summary>The engine's name as in <c>consensus.engine</c> ("solo", "raft", "hotstuff").</summary>
    string Name { get; }

    /// <summary>
    /// Completes when the engine stops: normally after <see cref="StopAsync"/>, or faulted with the error that stopped
    /// it (for example a storage failure). A node watches it and shuts down when it faults.
    /// </summary>
    Task Completion { get; }

    /// <summary>
    /// Raised after each block is durably committed, in height order, on the engine's own thread. Handlers must be
    /// quick and must not throw; hand work off (for example to a channel) rather than doing it inline.
    /// </summary>
    event EventHandler<BlockCommittedEventArgs>? BlockCommitted;

    /// <summary>Starts the engine's loop. Call once.</summary>
    /// <exception cref="InvalidOperationException">The engine was already started.</exception>
    void Start();

    /// <summary>Stops the loop after the block in progress (if any) is committed, and waits for it.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Offers a signed transaction: validates it into the pool and, if accepted, lets the engine know there is work
    /// (a BFT engine also gossips it to the validators). Never throws for any input.
    /// </summary>
    TxPoolResult Submit(ReadOnlySpan<byte> rawTransaction);

    /// <summary>
    /// Offers several signed transactions, with the same result for each as <see cref="Submit"/> called on them in
    /// order. An engine that admits through <see cref="TxPool.AddRange"/> recovers their senders in parallel and takes
    /// the pool's lock once; this default submits them one by one. Never throws for any input.
    /// </summary>
    /// <returns>One result per transaction, in the same order.</returns>
    TxPoolResult[] SubmitRange(IReadOnlyList<ReadOnlyMemory<byte>> rawTransactions)
    {
        ArgumentNullException.ThrowIfNull(rawTransactions);
        var results = new TxPoolResult[rawTransactions.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = Submit(rawTransactions[i].Span);
        }

        return results;
    }
}
