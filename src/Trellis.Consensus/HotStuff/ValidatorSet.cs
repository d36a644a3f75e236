using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// The validators of a HotStuff network, in a fixed order (static for now). With n validators it tolerates
/// f = ⌊(n − 1) / 3⌋ Byzantine ones, and a quorum is ⌊2n / 3⌋ + 1 (2f + 1 when n = 3f + 1): any two quorums share
/// at least f + 1 validators, so at least one honest one.
/// </summary>
public sealed class ValidatorSet
{
    private readonly PublicKey[] _keys;

    /// <summary>
    /// Creates the set from the validators' public keys; order fixes indices and leader rotation. Each leader leads
    /// <paramref name="viewsPerLeader"/> consecutive views: chained HotStuff commits only through four consecutive
    /// views with live leaders (three certified blocks and the QC of the third), so with one view per leader a single
    /// crashed validator of four would stop every commit; two views per leader guarantee a long enough run of live
    /// leaders whenever at most f validators are down.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or holds a key twice.</exception>
    public ValidatorSet(IReadOnlyList<PublicKey> keys, int viewsPerLeader = 1)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(viewsPerLeader, 1);
        ViewsPerLeader = viewsPerLeader;
        if (keys.Count == 0)
        {
            throw new ArgumentException("a validator set needs at least one validator, got 0", nameof(keys));
        }

        _keys = new PublicKey[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(keys[i]);
            for (int j = 0; j < i; j++)
            {
                if (_keys[j].Equals(keys[i]))
                {
                    throw new ArgumentException($"validator {i} repeats the key of validator {j}: {keys[i].ToHex()}", nameof(keys));
                }
            }

            _keys[i] = keys[i];
        }
    }

    /// <summary>Consecutive views each leader leads.</summary>
    public int ViewsPerLeader { get; }

    /// <summary>Number of validators, n.</summary>
    public int Count => _keys.Length;

    /// <summary>Byzantine validators tolerated, f = ⌊(n − 1) / 3⌋.</summary>
    public int FaultTolerance => (_keys.Length - 1) / 3;

    /// <summary>Signatures a certificate needs: ⌊2n / 3⌋ + 1.</summary>
    public int Quorum => (2 * _keys.Length / 3) + 1;

    /// <summary>The public key of validator <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not in [0, n).</exception>
    public PublicKey this[int index] =>
        (uint)index < (uint)_keys.Length
            ? _keys[index]
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"validator index must be in [0, {_keys.Length})");

    /// <summary>True when <paramref name="index"/> names a validator.</summary>
    public bool Contains(int index) => (uint)index < (uint)_keys.Length;

    /// <summary>The index of a key, or −1 if it is not a validator.</summary>
    public int IndexOf(PublicKey key)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i].Equals(key))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Round-robin leader rotation: view v is led by validator ⌊v / views per leader⌋ mod n.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The view is negative.</exception>
    public int LeaderOf(long view) =>
        view >= 0 ? (int)(view / ViewsPerLeader % _keys.Length) : throw new ArgumentOutOfRangeException(nameof(view), view, "a view is never negative");

    /// <summary>
    /// The view a timeout certificate of <paramref name="view"/> moves validators to: the first view of the next
    /// leader's term. A leader that let one of its views time out is skipped for the rest of its term, so a crashed
    /// validator costs one timed-out view per rotation rather than one per view it would have led.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The view is negative.</exception>
    public long ViewAfterTimeout(long view)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(view);
        long term = view / ViewsPerLeader;
        return term >= long.MaxValue / ViewsPerLeader - 1 ? long.MaxValue : (term + 1) * ViewsPerLeader;
    }
}
