using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math.EC;
using Trellis.Crypto.Standard;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Trellis.Crypto.Tests.Standard;

/// <summary>
/// Public-key recovery compared with BouncyCastle's independent curve arithmetic (Q = r^-1 (s R - e G)) over
/// thousands of random cases: honest signatures, high-S forms, r below p - n with recovery ids 2 and 3, random
/// (mostly off-curve) r values and out-of-range scalars, which must all agree, including on failure.
/// </summary>
public class Secp256k1RecoveryPropertyTests
{
    private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger N = Curve.N;
    private static readonly BigInteger P = Curve.Curve.Field.Characteristic;

    [Fact]
    public void TryRecover_MatchesBouncyCastleForOwnSignaturesAndTheirHighSForms()
    {
        var random = new Random(7001);
        var digest = new byte[32];
        for (int i = 0; i < 600; i++)
        {
            var key = Secp256k1.GeneratePrivateKey();
            random.NextBytes(digest);
            var signature = Secp256k1.Sign(key, digest);
            var expectedKey = Secp256k1.DerivePublicKey(key);

            var rs = signature.AsSpan(0, 64).ToArray();
            AssertAgrees(digest, rs, signature[64], expectedKey);

            // High-S: s -> n - s recovers the same key with the other parity bit.
            var s = Unsigned(rs.AsSpan(32));
            WriteUnsigned(N.Subtract(s), rs.AsSpan(32));
            AssertAgrees(digest, rs, signature[64] ^ 1, expectedKey);

            // The wrong parity recovers some other key (or fails) exactly as the reference does.
            AssertAgrees(digest, rs, signature[64], null);
        }
    }

    [Fact]
    public void TryRecover_MatchesBouncyCastleForRandomScalarsAndEveryRecoveryId()
    {
        var random = new Random(7002);
        var digest = new byte[32];
        var rs = new byte[64];
        var pMinusN = P.Subtract(N);
        for (int i = 0; i < 1500; i++)
        {
            random.NextBytes(digest);
            random.NextBytes(rs);
            int shape = i % 5;
            if (shape == 1)
            {
                // r < p - n, where recovery ids 2 and 3 (x = r + n) are meaningful.
                WriteUnsigned(Unsigned(rs.AsSpan(0, 32)).Mod(pMinusN), rs.AsSpan(0, 32));
            }
            else if (shape == 2)
            {
                // r or s at or just above n (and at the top of the 256-bit range): must fail.
                var edge = (i / 5 % 4) switch
                {
                    0 => N,
                    1 => N.Add(BigInteger.One),
                    2 => BigInteger.One.ShiftLeft(256).Subtract(BigInteger.One),
                    _ => N.Add(BigInteger.ValueOf(random.Next(1, 1000))),
                };
                WriteUnsigned(edge, rs.AsSpan(i % 2 == 0 ? 0 : 32, 32));
            }
            else if (shape == 3)
            {
                // r or s zero: must fail.
                Array.Clear(rs, i % 2 == 0 ? 0 : 32, 32);
            }
            else if (shape == 4)
            {
                // r = x of a real point (so R exists) with a small s.
                var point = Curve.G.Multiply(new BigInteger(1, rs, 0, 32).Mod(N.Subtract(BigInteger.One)).Add(BigInteger.One)).Normalize();
                var x = point.AffineXCoord.ToBigInteger();
                if (x.CompareTo(N) < 0)
                {
                    WriteUnsigned(x, rs.AsSpan(0, 32));
                }

                WriteUnsigned(BigInteger.ValueOf(random.Next(1, 1 << 20)), rs.AsSpan(32));
            }

            for (int recoveryId = 0; recoveryId < 4; recoveryId++)
            {
                AssertAgrees(digest, rs, recoveryId, null);
            }
        }
    }

    [Fact]
    public void TryRecover_MatchesBouncyCastleAtTheLargestRWithRecoveryIdTwo()
    {
        var digest = new byte[32];
        digest[31] = 1;
        var rs = new byte[64];
        rs[63] = 3;
        var pMinusN = P.Subtract(N);
        foreach (var r in new[] { pMinusN.Subtract(BigInteger.One), pMinusN, BigInteger.One, BigInteger.Two })
        {
            WriteUnsigned(r, rs.AsSpan(0, 32));
            for (int recoveryId = 0; recoveryId < 4; recoveryId++)
            {
                AssertAgrees(digest, rs, recoveryId, null);
            }
        }
    }

    private static void AssertAgrees(byte[] digest, byte[] rs, int recoveryId, byte[]? knownKey)
    {
        var expected = ReferenceRecover(digest, rs, recoveryId);
        var actual = new byte[64];
        bool ok = Secp256k1.TryRecover(digest, rs, recoveryId, actual);
        Assert.True(ok == (expected is not null), $"recovery id {recoveryId}, rs {Convert.ToHexString(rs)}: ours {ok}, reference {expected is not null}");
        if (expected is not null)
        {
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
            if (knownKey is not null)
            {
                Assert.Equal(Convert.ToHexString(knownKey), Convert.ToHexString(actual));
            }
        }
    }

    /// <summary>Q = r^-1 (s R - e G) with BouncyCastle's big-integer curve arithmetic; null where recovery must fail.</summary>
    private static byte[]? ReferenceRecover(byte[] digest, byte[] rs, int recoveryId)
    {
        var r = Unsigned(rs.AsSpan(0, 32));
        var s = Unsigned(rs.AsSpan(32, 32));
        if (r.SignValue == 0 || s.SignValue == 0 || r.CompareTo(N) >= 0 || s.CompareTo(N) >= 0)
        {
            return null;
        }

        var x = (recoveryId & 2) != 0 ? r.Add(N) : r;
        if (x.CompareTo(P) >= 0)
        {
            return null;
        }

        // y^2 = x^3 + 7 must have a root; sqrt via the curve's field element.
        var fx = Curve.Curve.FromBigInteger(x);
        var fy = fx.Square().Multiply(fx).Add(Curve.Curve.B).Sqrt();
        if (fy is null)
        {
            return null;
        }

        var y = fy.ToBigInteger();
        if (y.TestBit(0) != ((recoveryId & 1) != 0))
        {
            y = P.Subtract(y);
        }

        var pointR = Curve.Curve.CreatePoint(x, y);
        var e = Unsigned(digest).Mod(N);
        var rInverse = r.ModInverse(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(pointR, s.Multiply(rInverse).Mod(N), Curve.G, N.Subtract(e).Multiply(rInverse).Mod(N)).Normalize();
        if (q.IsInfinity)
        {
            return null;
        }

        var key = new byte[64];
        WriteUnsigned(q.AffineXCoord.ToBigInteger(), key.AsSpan(0, 32));
        WriteUnsigned(q.AffineYCoord.ToBigInteger(), key.AsSpan(32, 32));
        return key;
    }

    private static BigInteger Unsigned(ReadOnlySpan<byte> bytes) => new(1, bytes.ToArray());

    private static void WriteUnsigned(BigInteger value, Span<byte> destination32)
    {
        var bytes = value.ToByteArrayUnsigned();
        destination32.Clear();
        bytes.CopyTo(destination32[(32 - bytes.Length)..]);
    }
}
