using Trellis.Core;

namespace Trellis.Ledger.Storage;

/// <summary>
/// Which logs <see cref="BlockStore.GetLogs"/> returns, with eth_getLogs semantics: a block range, any of a set of
/// addresses, and per topic position a set of alternatives (OR) where an empty or null set matches anything.
/// Positions are ANDed; a log with fewer topics than <see cref="Topics"/> has positions never matches.
/// </summary>
public sealed class LogFilter
{
    /// <summary>The most topic positions a filter may name (LOG4 emits four topics).</summary>
    public const int MaxTopicPositions = 4;

    /// <summary>The first block searched.</summary>
    public ulong FromBlock { get; init; }

    /// <summary>The last block searched; null means the head.</summary>
    public ulong? ToBlock { get; init; }

    /// <summary>The emitting contracts to match; empty matches any address.</summary>
    public IReadOnlyList<Address> Addresses { get; init; } = [];

    /// <summary>Per position, the topics accepted there; null or empty is a wildcard.</summary>
    public IReadOnlyList<IReadOnlyList<Hash256>?> Topics { get; init; } = [];

    /// <summary>True if the log's address and topics match (the block range is not checked here).</summary>
    public bool Matches(Blocks.Log log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Addresses.Count > 0 && !Contains(Addresses, log.Address))
        {
            return false;
        }

        if (Topics.Count > log.Topics.Count)
        {
            return false;
        }

        for (int i = 0; i < Topics.Count; i++)
        {
            IReadOnlyList<Hash256>? alternatives = Topics[i];
            if (alternatives is { Count: > 0 } && !Contains(alternatives, log.Topics[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains<T>(IReadOnlyList<T> values, T value)
        where T : IEquatable<T>
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i].Equals(value))
            {
                return true;
            }
        }

        return false;
    }
}
