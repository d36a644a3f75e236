namespace Trellis.Consensus.HotStuff;

/// <summary>Pacemaker and replica tuning. Times are in the driver's clock unit (milliseconds for the node and the simulator).</summary>
public sealed record HotStuffOptions
{
    /// <summary>How long a view lasts before a validator times out, with no failures since the last QC.</summary>
    public long BaseTimeout { get; init; } = 1000;

    /// <summary>The back-off cap: a view never waits longer than this however many views failed in a row.</summary>
    public long MaxTimeout { get; init; } = 60_000;

    /// <summary>How long to wait for a requested block before asking another validator.</summary>
    public long FetchRetryInterval { get; init; } = 200;

    /// <summary>Most blocks sent in one block response.</summary>
    public int MaxBlocksPerResponse { get; init; } = 64;

    /// <summary>
    /// Committed blocks kept in memory below the last committed one (for peers that fetch them); 0 keeps every block.
    /// A node sets a small number: older blocks are served by ledger block sync instead.
    /// </summary>
    public int CommittedBlocksRetained { get; init; }

    /// <summary>Checks the values are usable.</summary>
    /// <exception cref="ArgumentException">A timeout is not positive, or the cap is below the base.</exception>
    public void Validate()
    {
        if (BaseTimeout <= 0)
        {
            throw new ArgumentException($"BaseTimeout must be positive, got {BaseTimeout}");
        }

        if (MaxTimeout < BaseTimeout)
        {
            throw new ArgumentException($"MaxTimeout ({MaxTimeout}) must be at least BaseTimeout ({BaseTimeout})");
        }

        if (FetchRetryInterval <= 0)
        {
            throw new ArgumentException($"FetchRetryInterval must be positive, got {FetchRetryInterval}");
        }

        if (CommittedBlocksRetained < 0)
        {
            throw new ArgumentException($"CommittedBlocksRetained must not be negative, got {CommittedBlocksRetained}");
        }

        if (MaxBlocksPerResponse < 1)
        {
            throw new ArgumentException($"MaxBlocksPerResponse must be at least 1, got {MaxBlocksPerResponse}");
        }
    }
}
