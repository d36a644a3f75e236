namespace Trellis.Node.P2p;

/// <summary>Settings of the node's use of the peer network: gossip batching, block serving and block sync.</summary>
public sealed record PeerNetworkOptions
{
    /// <summary>How long accepted transactions wait to be gossiped together (default 15 ms).</summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(15);

    /// <summary>The largest gossip batch sent, in bytes (default 1 MiB); more waiting transactions go in more batches.</summary>
    public int MaxGossipBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>Accepted transactions waiting to be gossiped; beyond it they are not gossiped (and counted).</summary>
    public int GossipQueueCapacity { get; init; } = 100_000;

    /// <summary>A received gossip batch with more transactions than this is refused whole.</summary>
    public int MaxTransactionsPerReceivedBatch { get; init; } = 20_000;

    /// <summary>Received gossip batches waiting to be pooled; beyond it new batches are dropped (and counted).</summary>
    public int ReceivedBatchQueueCapacity { get; init; } = 1024;

    /// <summary>Most blocks in one block-range response this node sends (default 64).</summary>
    public int MaxBlocksPerResponse { get; init; } = 64;

    /// <summary>Most bytes of encoded blocks in one block-range response this node sends (default 8 MiB).</summary>
    public int MaxResponseBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Block-range requests waiting to be answered; beyond it new requests are dropped (the asker times out).</summary>
    public int RangeRequestQueueCapacity { get; init; } = 64;

    /// <summary>Most blocks block sync asks one peer for at once (default 64).</summary>
    public int MaxBlocksPerRequest { get; init; } = 64;

    /// <summary>How long block sync waits for a peer's answer before trying another (default 5 s).</summary>
    public TimeSpan SyncRequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node may be behind by fewer than <see cref="SyncLagThreshold"/> blocks before it syncs: a validator
    /// normally commits the next block itself within moments of hearing of it (default 500 ms).
    /// </summary>
    public TimeSpan SyncGracePeriod { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Being this many blocks behind starts block sync at once (default 3).</summary>
    public ulong SyncLagThreshold { get; init; } = 3;

    /// <summary>How often block sync checks whether the node is behind without being told (default 250 ms).</summary>
    public TimeSpan SyncCheckInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a peer that failed or misbehaved is not asked again (default 2 s; 4× for a hostile answer).</summary>
    public TimeSpan PeerRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the head is announced to every peer even without a new block (default 2 s).</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        Positive(GossipInterval, nameof(GossipInterval));
        Positive(SyncRequestTimeout, nameof(SyncRequestTimeout));
        Positive(SyncCheckInterval, nameof(SyncCheckInterval));
        Positive(PeerRetryDelay, nameof(PeerRetryDelay));
        Positive(AnnounceInterval, nameof(AnnounceInterval));
        if (SyncGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SyncGracePeriod), SyncGracePeriod, $"{nameof(SyncGracePeriod)} must not be negative, got {SyncGracePeriod}");
        }

        Positive(MaxGossipBatchBytes, nameof(MaxGossipBatchBytes));
        Positive(GossipQueueCapacity, nameof(GossipQueueCapacity));
        Positive(MaxTransactionsPerReceivedBatch, nameof(MaxTransactionsPerReceivedBatch));
        Positive(ReceivedBatchQueueCapacity, nameof(ReceivedBatchQueueCapacity));
        Positive(MaxBlocksPerResponse, nameof(MaxBlocksPerResponse));
        Positive(MaxResponseBytes, nameof(MaxResponseBytes));
        Positive(RangeRequestQueueCapacity, nameof(RangeRequestQueueCapacity));
        Positive(MaxBlocksPerRequest, nameof(MaxBlocksPerRequest));
        if (SyncLagThreshold == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SyncLagThreshold), SyncLagThreshold, $"{nameof(SyncLagThreshold)} must be at least 1");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, got {value}");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, got {value}");
        }
    }
}
