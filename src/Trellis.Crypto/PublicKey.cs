using Trellis.Core;

namespace Trellis.Crypto;

/// <summary>An uncompressed public key (x || y, 64 bytes, no 0x04 prefix) on one curve.</summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    /// <summary>Bytes in a public key.</summary>
    public const int Length = 64;

    private readonly byte[] _bytes;

    internal PublicKey(CurveKind curve, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a public key is {Length} bytes (x || y), got {bytes.Length}", nameof(bytes));
        }

        Curve = curve;
        _bytes = bytes.ToArray();
    }

    /// <summary>The curve the key belongs to.</summary>
    public CurveKind Curve { get; }

    /// <summary>x || y, big-endian.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The key as 0x-prefixed hex of x || y.</summary>
    public string ToHex() => Hex.Encode(_bytes);

    public override string ToString() => ToHex();

    public bool Equals(PublicKey? other) => other is not null && other.Curve == Curve && other._bytes.AsSpan().SequenceEqual(_bytes);

    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    public override int GetHashCode() => HashCode.Combine(Curve, BitConverter.ToInt32(_bytes, 0), BitConverter.ToInt32(_bytes, 60));
}
