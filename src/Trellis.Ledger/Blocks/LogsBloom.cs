using Trellis.Core;

namespace Trellis.Ledger.Blocks;

/// <summary>
/// Ethereum's 2048-bit logs bloom: each address and topic sets the 3 bits named by the first three 11-bit pairs of
/// its Keccak-256 hash (yellow paper, M3:2048). Keccak-256 in both suites, so bloom filters behave as Ethereum clients expect.
/// </summary>
public sealed class LogsBloom : IEquatable<LogsBloom>
{
    /// <summary>Bytes in a bloom.</summary>
    public const int Length = 256;

    private readonly byte[] _bits;

    /// <summary>Creates an empty bloom.</summary>
    public LogsBloom()
    {
        _bits = new byte[Length];
    }

    /// <summary>Wraps 256 bloom bytes (copied).</summary>
    /// <exception cref="ArgumentException">Not 256 bytes.</exception>
    public LogsBloom(ReadOnlySpan<byte> bits)
    {
        if (bits.Length != Length)
        {
            throw new ArgumentException($"a logs bloom is {Length} bytes, got {bits.Length}", nameof(bits));
        }

        _bits = bits.ToArray();
    }

    /// <summary>The bloom bytes (bit 0 is the lowest bit of the last byte).</summary>
    public ReadOnlySpan<byte> Bytes => _bits;

    /// <summary>The bloom of a list of logs.</summary>
    public static LogsBloom FromLogs(IEnumerable<Log> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var bloom = new LogsBloom();
        foreach (Log log in logs)
        {
            bloom.Add(log);
        }

        return bloom;
    }

    /// <summary>Adds a log's address and topics.</summary>
    public void Add(Log log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Add(log.Address.Bytes);
        foreach (Hash256 topic in log.Topics)
        {
            Add(topic.Bytes);
        }
    }

    /// <summary>Adds one value (an address or a topic).</summary>
    public void Add(ReadOnlySpan<byte> value)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(value, hash);
        for (int i = 0; i < 6; i += 2)
        {
            int bit = ((hash[i] << 8) | hash[i + 1]) & 2047;
            _bits[Length - 1 - (bit >> 3)] |= (byte)(1 << (bit & 7));
        }
    }

    /// <summary>ORs another bloom into this one (a block's bloom is the OR of its receipts').</summary>
    public void Accumulate(LogsBloom other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < Length; i++)
        {
            _bits[i] |= other._bits[i];
        }
    }

    /// <summary>True if the value may have been added (false positives possible, no false negatives).</summary>
    public bool MayContain(ReadOnlySpan<byte> value)
    {
        var probe = new LogsBloom();
        probe.Add(value);
        for (int i = 0; i < Length; i++)
        {
            if ((probe._bits[i] & _bits[i]) != probe._bits[i])
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(LogsBloom? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as LogsBloom);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_bits);
        return hash.ToHashCode();
    }

    /// <summary>The bloom as 0x-prefixed hex.</summary>
    public override string ToString() => Hex.Encode(_bits);
}
