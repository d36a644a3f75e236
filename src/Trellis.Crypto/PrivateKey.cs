using System.Security.Cryptography;
using Trellis.Core;

namespace Trellis.Crypto;

/// <summary>A 32-byte signing key on one curve. Validated when created; the bytes are copied and never shared.</summary>
public sealed class PrivateKey : IEquatable<PrivateKey>
{
    /// <summary>Bytes in a private key.</summary>
    public const int Length = 32;

    private readonly byte[] _bytes;

    internal PrivateKey(CurveKind curve, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a private key is {Length} bytes, got {bytes.Length}", nameof(bytes));
        }

        Curve = curve;
        _bytes = bytes.ToArray();
    }

    /// <summary>The curve the key belongs to.</summary>
    public CurveKind Curve { get; }

    /// <summary>The raw big-endian scalar.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The key as 0x-prefixed hex.</summary>
    public string ToHex() => Hex.Encode(_bytes);

    /// <summary>Keys never print themselves by accident.</summary>
    public override string ToString() => $"PrivateKey({Curve}, redacted)";

    public bool Equals(PrivateKey? other) =>
        other is not null && other.Curve == Curve && CryptographicOperations.FixedTimeEquals(other._bytes, _bytes);

    public override bool Equals(object? obj) => Equals(obj as PrivateKey);

    public override int GetHashCode() => HashCode.Combine(Curve, BitConverter.ToInt32(_bytes, 0));
}
