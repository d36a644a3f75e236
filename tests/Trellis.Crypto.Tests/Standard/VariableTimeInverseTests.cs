using System.Globalization;
using System.Numerics;
using Trellis.Crypto.Standard.EllipticCurve;

namespace Trellis.Crypto.Tests.Standard;

/// <summary>The variable-time inverses used by verification and recovery, against BigInteger.ModPow(a, m - 2, m).</summary>
public class VariableTimeInverseTests
{
    private static readonly BigInteger P = BigInteger.Parse("0fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    private static readonly BigInteger N = BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void InvertVariableTime_MatchesFermatForRandomAndEdgeValues()
    {
        var random = new Random(7003);
        var bytes = new byte[32];
        for (int i = 0; i < 3000; i++)
        {
            random.NextBytes(bytes);
            switch (i % 6)
            {
                case 1:
                    // Long runs of zero bits exercise the multi-bit halving (shifts of up to 63 at once).
                    bytes.AsSpan(0, 24 + (i % 8)).Clear();
                    break;
                case 2:
                    bytes.AsSpan(0, 28).Fill(0xFF);
                    break;
                case 3:
                    bytes.AsSpan(8).Clear();
                    break;
                default:
                    break;
            }

            var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            if (value < P && !value.IsZero)
            {
                Assert.True(Secp256k1Field.TryRead(bytes, out var field));
                var inverse = new byte[32];
                Secp256k1Field.InvertVariableTime(field).Write(inverse);
                Assert.Equal(BigInteger.ModPow(value, P - 2, P), new BigInteger(inverse, isUnsigned: true, isBigEndian: true));
            }

            if (value < N && !value.IsZero)
            {
                Assert.True(Secp256k1Scalar.TryRead(bytes, out var scalar));
                var inverse = Secp256k1Scalar.InvertVariableTime(scalar);
                var expected = BigInteger.ModPow(value, N - 2, N);
                var actual = (new BigInteger(inverse.L3) << 192) + (new BigInteger(inverse.L2) << 128) + (new BigInteger(inverse.L1) << 64) + inverse.L0;
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void InvertVariableTime_InvertsOneAndMinusOne()
    {
        Assert.True(Secp256k1Field.AreEqual(Secp256k1Field.One, Secp256k1Field.InvertVariableTime(Secp256k1Field.One)));
        var minusOne = Secp256k1Field.Negate(Secp256k1Field.One);
        Assert.True(Secp256k1Field.AreEqual(minusOne, Secp256k1Field.InvertVariableTime(minusOne)));
    }
}
