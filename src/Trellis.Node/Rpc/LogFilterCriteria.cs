using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>
/// Which logs a query, filter or subscription wants: any of <see cref="Addresses"/> (all when empty), and per
/// topic position either anything (null or empty) or any of a list (OR). A log needs at least as many topics as the filter has positions, as in geth.
/// </summary>
public sealed record LogFilterCriteria(IReadOnlyList<Address> Addresses, IReadOnlyList<IReadOnlyList<Hash256>?> Topics)
{
    /// <summary>Matches every log.</summary>
    public static LogFilterCriteria All { get; } = new([], []);

    /// <summary>True when <paramref name="log"/> passes the address and topic conditions.</summary>
    public bool Matches(RpcLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Addresses.Count > 0 && !Contains(Addresses, log.Address))
        {
            return false;
        }

        // As in geth: a log with fewer topics than the filter has positions never matches, even for wildcards.
        if (Topics.Count > log.Topics.Count)
        {
            return false;
        }

        for (int i = 0; i < Topics.Count && i < log.Topics.Count; i++)
        {
            IReadOnlyList<Hash256>? wanted = Topics[i];
            if (wanted is { Count: > 0 } && !Contains(wanted, log.Topics[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains<T>(IReadOnlyList<T> list, T value)
        where T : IEquatable<T>
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Equals(value))
            {
                return true;
            }
        }

        return false;
    }
}
