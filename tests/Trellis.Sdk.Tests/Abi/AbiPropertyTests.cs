using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Core;
using Trellis.Sdk.Abi;

namespace Trellis.Sdk.Tests.Abi;

/// <summary>Round trips of random types and values: decode(encode(v)) == v, and encoding is canonical.</summary>
public class AbiPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(400).WithQuietOnSuccess(true);

    private static readonly Gen<byte> Bytes = Gen.Choose(0, 255).Select(b => (byte)b);

    private static Gen<AbiType> Elementary => Gen.OneOf(
        Gen.Choose(1, 32).Select(n => AbiType.Parse("uint" + (n * 8))),
        Gen.Choose(1, 32).Select(n => AbiType.Parse("int" + (n * 8))),
        Gen.Choose(1, 32).Select(n => AbiType.Parse("bytes" + n)),
        Gen.Elements(AbiType.Address, AbiType.Bool, AbiType.Bytes, AbiType.String));

    private static Gen<AbiType> Types(int depth) => depth == 0
        ? Elementary
        : Gen.Frequency(
            (3, Elementary),
            (1, Types(depth - 1).Select(t => AbiType.ArrayOf(t))),
            (1, Gen.Choose(1, 3).SelectMany(k => Types(depth - 1).Select(t => AbiType.ArrayOf(t, k)))),
            (1, Gen.Choose(0, 3).SelectMany(n => Types(depth - 1).ArrayOf(n)).Select(parts => AbiType.Tuple(parts))));

    private static Gen<object?> Values(AbiType type) => type.Kind switch
    {
        AbiTypeKind.UInt => Bytes.ArrayOf(type.Size / 8).Select(b => (object?)UInt256.FromBigEndian(b)),
        AbiTypeKind.Int => Bytes.ArrayOf(type.Size / 8).Select(b => (object?)new BigInteger(b, isUnsigned: false, isBigEndian: true)),
        AbiTypeKind.Address => Bytes.ArrayOf(20).Select(b => (object?)new Address(b)),
        AbiTypeKind.Bool => Gen.Elements(true, false).Select(b => (object?)b),
        AbiTypeKind.FixedBytes => Bytes.ArrayOf(type.Size).Select(b => (object?)b),
        AbiTypeKind.Bytes => Gen.Choose(0, 70).SelectMany(n => Bytes.ArrayOf(n)).Select(b => (object?)b),
        AbiTypeKind.String => Gen.Choose(0, 40)
            .SelectMany(n => Gen.Elements('a', 'Z', '0', ' ', 'é', '中', 'ß', '\n').ArrayOf(n))
            .Select(c => (object?)new string(c)),
        AbiTypeKind.Array => Gen.Choose(0, 3).SelectMany(n => Values(type.Element!).ArrayOf(n)).Select(v => (object?)v),
        AbiTypeKind.FixedArray => Values(type.Element!).ArrayOf(type.Length).Select(v => (object?)v),
        _ => Tuple(type),
    };

    private static Gen<object?> Tuple(AbiType type)
    {
        Gen<object?[]> values = Gen.Constant(Array.Empty<object?>());
        foreach (AbiType component in type.Components)
        {
            values = values.SelectMany(prefix => Values(component).Select(v => (object?[])[.. prefix, v]));
        }

        return values.Select(v => (object?)v);
    }

    private static Gen<(AbiType[] Types, object?[] Values)> Cases =>
        Gen.Choose(1, 4)
            .SelectMany(n => Types(3).ArrayOf(n))
            .SelectMany(types => Tuple(AbiType.Tuple(types)).Select(v => (types, (object?[])v!)));

    [Fact]
    public void DecodeOfEncode_ReturnsTheOriginalValues()
    {
        Prop.ForAll(Arb.From(Cases), c =>
        {
            byte[] encoded = AbiEncoder.Encode(c.Types, c.Values);
            object?[] decoded = AbiDecoder.Decode(c.Types, encoded);
            return encoded.Length % 32 == 0 && Same(c.Values, decoded);
        }).Check(Config);
    }

    [Fact]
    public void EncodeOfDecode_ReproducesTheExactBytes()
    {
        Prop.ForAll(Arb.From(Cases), c =>
        {
            byte[] encoded = AbiEncoder.Encode(c.Types, c.Values);
            return AbiEncoder.Encode(c.Types, AbiDecoder.Decode(c.Types, encoded)).AsSpan().SequenceEqual(encoded);
        }).Check(Config);
    }

    [Fact]
    public void TruncatedEncodings_FailWithAbiExceptionOnly()
    {
        Prop.ForAll(Arb.From(Cases), c =>
        {
            byte[] encoded = AbiEncoder.Encode(c.Types, c.Values);
            if (encoded.Length == 0)
            {
                return true;
            }

            try
            {
                AbiDecoder.Decode(c.Types, encoded.AsSpan(0, encoded.Length - 1));
                return false;
            }
            catch (AbiException)
            {
                return true;
            }
        }).Check(Config);
    }

    [Fact]
    public void IntegerEncoding_MatchesBigIntegerTwosComplement()
    {
        // External truth: BigInteger's own two's-complement bytes, sign-extended to 32 bytes.
        Gen<(int Bits, BigInteger Value)> ints = Gen.Choose(1, 32).SelectMany(n => Bytes.ArrayOf(n * 1)
            .Select(b => (n * 8, new BigInteger(b, isUnsigned: false, isBigEndian: true))));
        Prop.ForAll(Arb.From(ints), t =>
        {
            byte[] encoded = AbiEncoder.Encode(AbiType.Parse("int" + t.Bits), t.Value);
            BigInteger modular = t.Value.Sign < 0 ? (BigInteger.One << 256) + t.Value : t.Value;
            return new BigInteger(encoded, isUnsigned: true, isBigEndian: true) == modular;
        }).Check(Config);
    }

    private static bool Same(object? expected, object? actual) => (expected, actual) switch
    {
        (object?[] e, object?[] a) => e.Length == a.Length && e.Zip(a).All(p => Same(p.First, p.Second)),
        (byte[] e, byte[] a) => e.AsSpan().SequenceEqual(a),
        _ => Equals(expected, actual),
    };
}
