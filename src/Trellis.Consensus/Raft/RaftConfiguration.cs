namespace Trellis.Consensus.Raft;

/// <summary>
/// The voters whose majority decides an entry or an election, by server id. When <see cref="Joint"/> is set the
/// decision needs a majority of <see cref="Voters"/> and a majority of <see cref="Joint"/> (joint consensus for one
/// entry, Raft §6): the engine sets it when two consecutive validator sets differ by more than one server, so that
/// every quorum of the old set and every quorum of the new set still intersect.
/// </summary>
public sealed class RaftConfiguration
{
    private readonly int[] _voters;
    private readonly int[]? _joint;

    /// <summary>Creates a configuration; ids must be non-negative and distinct within each list.</summary>
    /// <exception cref="ArgumentException">A list is empty, holds a negative id or repeats one.</exception>
    public RaftConfiguration(IReadOnlyCollection<int> voters, IReadOnlyCollection<int>? joint = null)
    {
        ArgumentNullException.ThrowIfNull(voters);
        _voters = Check(voters, nameof(voters));
        _joint = joint is null ? null : Check(joint, nameof(joint));
    }

    /// <summary>The voters of the entry (or of the election).</summary>
    public IReadOnlyList<int> Voters => _voters;

    /// <summary>The previous voters that must also agree, or null.</summary>
    public IReadOnlyList<int>? Joint => _joint;

    /// <summary>The servers 0..<paramref name="count"/>-1, all voters (a fixed cluster).</summary>
    public static RaftConfiguration All(int count)
    {
        if (count < 1)
        {
            throw new ArgumentException($"a raft configuration needs at least 1 voter, got {count}", nameof(count));
        }

        var ids = new int[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = i;
        }

        return new RaftConfiguration(ids);
    }

    /// <summary>The largest id named, in either list.</summary>
    public int MaxId
    {
        get
        {
            int max = 0;
            foreach (int id in _voters)
            {
                max = Math.Max(max, id);
            }

            foreach (int id in _joint ?? [])
            {
                max = Math.Max(max, id);
            }

            return max;
        }
    }

    /// <summary>True if <paramref name="id"/> votes in <see cref="Voters"/> (the set that decides from now on).</summary>
    public bool IsVoter(int id) => Array.IndexOf(_voters, id) >= 0;

    /// <summary>True if <paramref name="id"/> is named in either list (its acknowledgements and votes count).</summary>
    public bool Names(int id) => IsVoter(id) || (_joint is not null && Array.IndexOf(_joint, id) >= 0);

    /// <summary>True if the servers for which <paramref name="agrees"/> holds form a majority of every list.</summary>
    public bool HasQuorum(Func<int, bool> agrees)
    {
        ArgumentNullException.ThrowIfNull(agrees);
        return IsMajority(_voters, agrees) && (_joint is null || IsMajority(_joint, agrees));
    }

    /// <summary>Every id named, each once.</summary>
    public IEnumerable<int> Members()
    {
        foreach (int id in _voters)
        {
            yield return id;
        }

        foreach (int id in _joint ?? [])
        {
            if (!IsVoter(id))
            {
                yield return id;
            }
        }
    }

    /// <summary>True if both name the same voters (and the same joint voters), in any order.</summary>
    public bool SameAs(RaftConfiguration? other) =>
        other is not null && SameSet(_voters, other._voters) && (_joint is null ? other._joint is null : other._joint is not null && SameSet(_joint, other._joint));

    /// <inheritdoc/>
    public override string ToString() =>
        "{" + string.Join(",", _voters) + "}" + (_joint is null ? string.Empty : " and {" + string.Join(",", _joint) + "}");

    private static bool IsMajority(int[] ids, Func<int, bool> agrees)
    {
        int count = 0;
        foreach (int id in ids)
        {
            count += agrees(id) ? 1 : 0;
        }

        return count > ids.Length / 2;
    }

    private static bool SameSet(int[] a, int[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        foreach (int id in a)
        {
            if (Array.IndexOf(b, id) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int[] Check(IReadOnlyCollection<int> ids, string name)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException("a raft configuration needs at least 1 voter", name);
        }

        var array = ids.ToArray();
        var seen = new HashSet<int>();
        foreach (int id in array)
        {
            if (id < 0 || !seen.Add(id))
            {
                throw new ArgumentException($"raft configuration ids must be distinct and non-negative; {id} is not ({string.Join(",", array)})", name);
            }
        }

        return array;
    }
}
