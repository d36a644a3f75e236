using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Crypto.National;
using Trellis.Crypto.National.Curve;

namespace Trellis.Crypto.Tests.National;

public class Sm2Tests
{
    private static readonly BigInteger P = Parse("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF");
    private static readonly BigInteger N = Parse("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
    private static readonly BigInteger A = P - 3;
    private static readonly BigInteger Gx = Parse("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
    private static readonly BigInteger Gy = Parse("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");

    private sealed record Vector(byte[] PrivateKey, byte[] PublicKey, byte[] UserId, byte[] Message, byte[] Z, byte[] K, byte[] Signature);

    private static Vector StandardVector()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedPaths.Vectors("sm.json")));
        var v = document.RootElement.GetProperty("sm2_sign")[0];
        byte[] Hex(string name) => Convert.FromHexString(v.GetProperty(name).GetString()!);
        byte[] Ascii(string name) => Encoding.ASCII.GetBytes(v.GetProperty(name).GetString()!);
        return new Vector(Hex("private_key"), [.. Hex("public_key_x"), .. Hex("public_key_y")], Ascii("user_id_ascii"),
            Ascii("message_ascii"), Hex("z_a"), Hex("k"), [.. Hex("r"), .. Hex("s")]);
    }

    [Fact]
    public void DerivePublicKey_MatchesStandardExample()
    {
        var v = StandardVector();
        Assert.Equal(v.PublicKey, Sm2.DerivePublicKey(v.PrivateKey));
    }

    [Fact]
    public void ComputeZ_MatchesStandardExample()
    {
        var v = StandardVector();
        Assert.Equal(v.Z, Sm2.ComputeZ(v.PublicKey, v.UserId));
        Assert.Equal(v.UserId, Sm2.DefaultUserId);
    }

    [Fact]
    public void SignWithNonce_GivesStandardExampleSignatureExactly()
    {
        var v = StandardVector();
        Assert.Equal(Convert.ToHexString(v.Signature), Convert.ToHexString(Sm2.SignWithNonce(v.PrivateKey, v.Message, v.UserId, v.K)));
    }

    [Fact]
    public void Verify_AcceptsStandardExampleSignature()
    {
        var v = StandardVector();
        Assert.True(Sm2.Verify(v.PublicKey, v.Message, v.Signature, v.UserId));
        Assert.True(Sm2.Verify(v.PublicKey, v.Message, v.Signature));
        var e = Sm3.Hash([.. v.Z, .. v.Message]);
        Assert.True(Sm2.VerifyDigest(v.PublicKey, e, v.Signature));
    }

    [Fact]
    public void Verify_RejectsStandardExample_WithOtherUserIdMessageOrKey()
    {
        var v = StandardVector();
        Assert.False(Sm2.Verify(v.PublicKey, v.Message, v.Signature, "1234567812345679"u8));
        Assert.False(Sm2.Verify(v.PublicKey, v.Message, v.Signature, []));
        Assert.False(Sm2.Verify(v.PublicKey, "message digesT"u8, v.Signature, v.UserId));
        var otherKey = Sm2.DerivePublicKey(Sm2.GeneratePrivateKey());
        Assert.False(Sm2.Verify(otherKey, v.Message, v.Signature, v.UserId));
    }

    [Fact]
    public void Verify_RejectsEveryOneBitChangeOfTheSignature()
    {
        var v = StandardVector();
        for (var bit = 0; bit < 512; bit += 7)
        {
            var tampered = (byte[])v.Signature.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Sm2.Verify(v.PublicKey, v.Message, tampered, v.UserId), $"bit {bit}");
        }
    }

    [Fact]
    public void Verify_RejectsOutOfRangeROrS()
    {
        var v = StandardVector();
        var r = v.Signature[..32];
        var s = v.Signature[32..];
        var zero = new byte[32];
        var n = ToBytes(N);
        var ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        foreach (var bad in new[] { zero, n, ones })
        {
            Assert.False(Sm2.Verify(v.PublicKey, v.Message, [.. bad, .. s], v.UserId));
            Assert.False(Sm2.Verify(v.PublicKey, v.Message, [.. r, .. bad], v.UserId));
        }

        // r = n - 1 with s = 1 gives t = r + s = 0 mod n, which the standard rejects (step B5).
        Assert.False(Sm2.Verify(v.PublicKey, v.Message, [.. ToBytes(N - 1), .. ToBytes(BigInteger.One)], v.UserId));
    }

    [Fact]
    public void Verify_ReturnsFalseForMalformedLengthsAndKeys()
    {
        var v = StandardVector();
        Assert.False(Sm2.Verify(v.PublicKey.AsSpan(0, 63), v.Message, v.Signature));
        Assert.False(Sm2.Verify([], v.Message, v.Signature));
        Assert.False(Sm2.Verify(v.PublicKey, v.Message, v.Signature.AsSpan(0, 63)));
        Assert.False(Sm2.Verify(v.PublicKey, v.Message, [.. v.Signature, 0]));
        Assert.False(Sm2.VerifyDigest(v.PublicKey, new byte[31], v.Signature));

        var offCurve = (byte[])v.PublicKey.Clone();
        offCurve[63] ^= 1;
        Assert.False(Sm2.IsValidPublicKey(offCurve));
        Assert.False(Sm2.Verify(offCurve, v.Message, v.Signature));

        // x = p is not a field element even though x = 0 might be.
        byte[] xIsP = [.. ToBytes(P), .. v.PublicKey[32..]];
        Assert.False(Sm2.IsValidPublicKey(xIsP));
        Assert.False(Sm2.Verify(xIsP, v.Message, v.Signature));
        Assert.False(Sm2.IsValidPublicKey(new byte[64]));
        Assert.True(Sm2.IsValidPublicKey(v.PublicKey));
    }

    [Fact]
    public void PrivateKeyRange_IsOneToNMinusTwo()
    {
        Assert.False(Sm2.IsValidPrivateKey(new byte[32]));
        Assert.True(Sm2.IsValidPrivateKey(ToBytes(BigInteger.One)));
        Assert.True(Sm2.IsValidPrivateKey(ToBytes(N - 2)));
        Assert.False(Sm2.IsValidPrivateKey(ToBytes(N - 1)));
        Assert.False(Sm2.IsValidPrivateKey(ToBytes(N)));
        Assert.False(Sm2.IsValidPrivateKey(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.False(Sm2.IsValidPrivateKey(new byte[31]));
        Assert.False(Sm2.IsValidPrivateKey([.. ToBytes(BigInteger.One), 0]));

        var error = Assert.Throws<ArgumentException>(() => Sm2.Sign(ToBytes(N - 1), "m"u8));
        Assert.Contains("n - 2", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Sm2.DerivePublicKey(new byte[31]));
        Assert.Contains("31", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeZ_LimitsUserIdToSixteenBitLength()
    {
        var v = StandardVector();
        Assert.Equal(32, Sm2.ComputeZ(v.PublicKey, new byte[8191]).Length);
        var error = Assert.Throws<ArgumentException>(() => Sm2.ComputeZ(v.PublicKey, new byte[8192]));
        Assert.Contains("8192", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Sm2.ComputeZ(v.PublicKey.AsSpan(0, 32), Sm2.DefaultUserId));
    }

    [Fact]
    public void ComputeZ_EncodesEntlAsBitLength()
    {
        // Independent restatement of the Z_A layout from GB/T 32918.2 section 5.5.
        var v = StandardVector();
        var userId = new byte[300];
        new Random(7).NextBytes(userId);
        byte[] curve = Convert.FromHexString(
            "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC" +
            "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93" +
            "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7" +
            "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
        using var openssl = new OpenSslSm2Process();
        var expected = openssl.Sm3Hex([0x09, 0x60, .. userId, .. curve, .. v.PublicKey]);
        Assert.Equal(expected, Convert.ToHexStringLower(Sm2.ComputeZ(v.PublicKey, userId)));
    }

    [Fact]
    public void DerivePublicKey_MatchesIndependentBigIntegerArithmetic()
    {
        var random = new Random(32918);
        for (var i = 0; i < 20; i++)
        {
            var d = RandomScalar(random);
            var (x, y) = ReferenceMultiply(d, (Gx, Gy))!.Value;
            Assert.Equal(Convert.ToHexString([.. ToBytes(x), .. ToBytes(y)]), Convert.ToHexString(Sm2.DerivePublicKey(ToBytes(d))));
        }

        // Small and extreme scalars exercise the window table's edges.
        foreach (var d in new[] { BigInteger.One, new BigInteger(2), new BigInteger(15), new BigInteger(16), N - 2, (BigInteger.One << 255) + 1 })
        {
            var (x, y) = ReferenceMultiply(d, (Gx, Gy))!.Value;
            Assert.Equal(Convert.ToHexString([.. ToBytes(x), .. ToBytes(y)]), Convert.ToHexString(Sm2.DerivePublicKey(ToBytes(d))));
        }
    }

    [Fact]
    public void MultiplyBaseAndAdd_MatchesIndependentBigIntegerArithmetic()
    {
        var random = new Random(5);
        var q = ReferenceMultiply(RandomScalar(random), (Gx, Gy))!.Value;
        Assert.True(Sm2AffinePoint.TryRead([.. ToBytes(q.X), .. ToBytes(q.Y)], out var qPoint));
        var cases = new List<(BigInteger S, BigInteger T)> { (1, 1), (N - 1, 1), (1, N - 1), (N - 1, N - 1), (2, 3) };
        for (var i = 0; i < 10; i++)
        {
            cases.Add((RandomScalar(random), RandomScalar(random)));
        }

        foreach (var (s, t) in cases)
        {
            var expected = ReferenceAdd(ReferenceMultiply(s, (Gx, Gy)), ReferenceMultiply(t, q));
            Assert.True(Sm2Scalar.TryRead(ToBytes(s), out var sScalar));
            Assert.True(Sm2Scalar.TryRead(ToBytes(t), out var tScalar));
            var actual = Sm2Multiplier.MultiplyBaseAndAdd(sScalar, tScalar, qPoint);
            var bytes = new byte[64];
            actual.ToAffine().Write(bytes);
            Assert.Equal(Convert.ToHexString([.. ToBytes(expected!.Value.X), .. ToBytes(expected.Value.Y)]), Convert.ToHexString(bytes));
        }
    }

    [Fact]
    public void MultiplyBaseAndAdd_HandlesCancellationToInfinityAndDoubling()
    {
        // s G + t P with P = G: t = n - s cancels to infinity; t = s needs the doubling case inside the addition.
        var g = Sm2Point.Generator;
        Assert.True(Sm2Scalar.TryRead(ToBytes(12345), out var s));
        Assert.True(Sm2Scalar.TryRead(ToBytes(N - 12345), out var minusS));
        Assert.True(Sm2Multiplier.MultiplyBaseAndAdd(s, minusS, g).IsInfinity);
        var bytes = new byte[64];
        Sm2Multiplier.MultiplyBaseAndAdd(s, s, g).ToAffine().Write(bytes);
        var expected = ReferenceMultiply(24690, (Gx, Gy))!.Value;
        Assert.Equal(Convert.ToHexString([.. ToBytes(expected.X), .. ToBytes(expected.Y)]), Convert.ToHexString(bytes));
    }

    [Fact]
    public void FieldAndScalarArithmetic_MatchBigInteger()
    {
        var random = new Random(99);
        for (var i = 0; i < 200; i++)
        {
            var a = RandomBelow(random, P);
            var b = RandomBelow(random, P);
            Assert.True(Sm2Field.TryRead(ToBytes(a), out var fa));
            Assert.True(Sm2Field.TryRead(ToBytes(b), out var fb));
            Assert.Equal(ToBytes(a * b % P), FieldBytes(Sm2Field.Multiply(fa, fb)));
            Assert.Equal(ToBytes((a + b) % P), FieldBytes(Sm2Field.Add(fa, fb)));
            Assert.Equal(ToBytes(((a - b) % P + P) % P), FieldBytes(Sm2Field.Subtract(fa, fb)));
            if (!a.IsZero)
            {
                Assert.Equal(ToBytes(BigInteger.ModPow(a, P - 2, P)), FieldBytes(Sm2Field.Invert(fa)));
            }

            var x = RandomBelow(random, N);
            var y = RandomBelow(random, N);
            Assert.True(Sm2Scalar.TryRead(ToBytes(x), out var sx));
            Assert.True(Sm2Scalar.TryRead(ToBytes(y), out var sy));
            Assert.Equal(ToBytes(x * y % N), ScalarBytes(Sm2Scalar.Multiply(sx, sy)));
            Assert.Equal(ToBytes((x + y) % N), ScalarBytes(Sm2Scalar.Add(sx, sy)));
            Assert.Equal(ToBytes(((x - y) % N + N) % N), ScalarBytes(Sm2Scalar.Subtract(sx, sy)));
            if (!x.IsZero)
            {
                Assert.Equal(ToBytes(BigInteger.ModPow(x, N - 2, N)), ScalarBytes(Sm2Scalar.Invert(sx)));
            }
        }

        // Edge values: p - 1 squared, and 2^256 - 1 reduced modulo n.
        Assert.True(Sm2Field.TryRead(ToBytes(P - 1), out var pm1));
        Assert.Equal(ToBytes(BigInteger.One), FieldBytes(Sm2Field.Multiply(pm1, pm1)));
        Assert.False(Sm2Field.TryRead(ToBytes(P), out _));
        var max = (BigInteger.One << 256) - 1;
        Assert.Equal(ToBytes(max % N), ScalarBytes(Sm2Scalar.ReadReduced(ToBytes(max))));
    }

    [Fact]
    public void Wnaf_ReconstructsTheScalar()
    {
        var random = new Random(3);
        var digits = new short[258];
        foreach (var width in new[] { 5, 8, 10 })
        {
            for (var i = 0; i < 50; i++)
            {
                var k = i == 0 ? N - 1 : RandomBelow(random, N);
                Assert.True(Sm2Scalar.TryRead(ToBytes(k), out var scalar));
                var top = Sm2Multiplier.ComputeWnaf(scalar, width, digits);
                var sum = BigInteger.Zero;
                for (var j = top - 1; j >= 0; j--)
                {
                    sum = sum * 2 + digits[j];
                    Assert.True(digits[j] == 0 || (Math.Abs((int)digits[j]) % 2 == 1 && Math.Abs((int)digits[j]) < 1 << (width - 1)));
                }

                Assert.Equal(k, sum);
            }
        }
    }

    [Fact]
    public void Sign_IsDeterministicAndVerifies()
    {
        var d = Sm2.GeneratePrivateKey();
        var publicKey = Sm2.DerivePublicKey(d);
        var first = Sm2.Sign(d, "transfer 10"u8);
        Assert.Equal(first, Sm2.Sign(d, "transfer 10"u8));
        Assert.NotEqual(first[..32], Sm2.Sign(d, "transfer 11"u8)[..32]);
        Assert.True(Sm2.Verify(publicKey, "transfer 10"u8, first));
        Assert.False(Sm2.Verify(publicKey, "transfer 11"u8, first));
        var withId = Sm2.Sign(d, "transfer 10"u8, "alice@bank"u8);
        Assert.True(Sm2.Verify(publicKey, "transfer 10"u8, withId, "alice@bank"u8));
        Assert.False(Sm2.Verify(publicKey, "transfer 10"u8, withId));
    }

    [Fact]
    public void SignThenVerify_HoldsForRandomKeysAndMessages()
    {
        var arb = Arb.From(Gen.Zip(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)), Gen.Choose(1, int.MaxValue)));
        Prop.ForAll(arb, input =>
        {
            var message = input.Item1;
            var keyRandom = new Random(input.Item2);
            var d = ToBytes(RandomScalar(keyRandom));
            var publicKey = Sm2.DerivePublicKey(d);
            var signature = Sm2.Sign(d, message);
            var tampered = message.Length == 0 ? [1] : message.ToArray();
            if (message.Length > 0)
            {
                tampered[0] ^= 0x80;
            }

            return Sm2.Verify(publicKey, message, signature) && !Sm2.Verify(publicKey, tampered, signature);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    internal static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    internal static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static byte[] FieldBytes(Sm2Field value)
    {
        var bytes = new byte[32];
        value.Write(bytes);
        return bytes;
    }

    private static byte[] ScalarBytes(Sm2Scalar value)
    {
        var bytes = new byte[32];
        value.Write(bytes);
        return bytes;
    }

    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % bound;
    }

    private static BigInteger RandomScalar(Random random) => RandomBelow(random, N - 2) + 1;

    // Textbook affine arithmetic with BigInteger: slow, obviously correct, independent of the code under test.
    private static (BigInteger X, BigInteger Y)? ReferenceAdd((BigInteger X, BigInteger Y)? p, (BigInteger X, BigInteger Y)? q)
    {
        if (p is null)
        {
            return q;
        }

        if (q is null)
        {
            return p;
        }

        var (x1, y1) = p.Value;
        var (x2, y2) = q.Value;
        BigInteger lambda;
        if (x1 == x2)
        {
            if ((y1 + y2) % P == 0)
            {
                return null;
            }

            lambda = (3 * x1 * x1 + A) * BigInteger.ModPow(2 * y1, P - 2, P) % P;
        }
        else
        {
            lambda = (y2 - y1 + P) * BigInteger.ModPow((x2 - x1 + P) % P, P - 2, P) % P;
        }

        var x3 = ((lambda * lambda - x1 - x2) % P + 2 * P) % P;
        var y3 = ((lambda * (x1 - x3) - y1) % P + P) % P;
        return (x3, y3);
    }

    internal static (BigInteger X, BigInteger Y)? ReferenceMultiply(BigInteger k, (BigInteger X, BigInteger Y)? point)
    {
        (BigInteger X, BigInteger Y)? result = null;
        for (var i = (int)k.GetBitLength() - 1; i >= 0; i--)
        {
            result = ReferenceAdd(result, result);
            if (!(k >> i).IsEven)
            {
                result = ReferenceAdd(result, point);
            }
        }

        return result;
    }
}
