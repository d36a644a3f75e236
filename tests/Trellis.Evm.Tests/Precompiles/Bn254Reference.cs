using System.Globalization;
using System.Numerics;

namespace Trellis.Evm.Tests.Precompiles;

/// <summary>
/// A slow, textbook bn254 reference written with BigInteger (affine G1 arithmetic, F_p2 square roots), independent of
/// the Montgomery code under test. Infinity is null.
/// </summary>
internal static class Bn254Reference
{
    public static readonly BigInteger P = Parse("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");
    public static readonly BigInteger R = Parse("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001");
    public static readonly (BigInteger X, BigInteger Y)? Generator = (1, 2);

    public static BigInteger Mod(BigInteger value)
    {
        var m = value % P;
        return m.Sign < 0 ? m + P : m;
    }

    public static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);

    public static (BigInteger X, BigInteger Y)? Add((BigInteger X, BigInteger Y)? a, (BigInteger X, BigInteger Y)? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var (x1, y1) = a.Value;
        var (x2, y2) = b.Value;
        BigInteger lambda;
        if (x1 == x2)
        {
            if (Mod(y1 + y2).IsZero)
            {
                return null;
            }

            lambda = Mod(3 * x1 * x1 * Inverse(2 * y1));
        }
        else
        {
            lambda = Mod((y2 - y1) * Inverse(x2 - x1));
        }

        var x3 = Mod((lambda * lambda) - x1 - x2);
        return (x3, Mod((lambda * (x1 - x3)) - y1));
    }

    public static (BigInteger X, BigInteger Y)? Multiply((BigInteger X, BigInteger Y)? point, BigInteger scalar)
    {
        (BigInteger X, BigInteger Y)? result = null;
        for (var bit = (int)scalar.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = Add(result, result);
            if (!(scalar >> bit).IsEven)
            {
                result = Add(result, point);
            }
        }

        return result;
    }

    public static BigInteger RandomScalar(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public static void Write(BigInteger value, Span<byte> destination32)
    {
        destination32[..32].Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination32.Slice(32 - length, length), out _, isUnsigned: true, isBigEndian: true);
    }

    public static void WritePoint((BigInteger X, BigInteger Y)? point, Span<byte> destination64)
    {
        if (point is null)
        {
            destination64[..64].Clear();
            return;
        }

        Write(point.Value.X, destination64[..32]);
        Write(point.Value.Y, destination64.Slice(32, 32));
    }

    /// <summary>A square root in F_p (p ≡ 3 mod 4), or null if <paramref name="value"/> is not a square.</summary>
    public static BigInteger? SquareRoot(BigInteger value)
    {
        var candidate = BigInteger.ModPow(Mod(value), (P + 1) / 4, P);
        return Mod(candidate * candidate) == Mod(value) ? candidate : null;
    }

    public static (BigInteger A, BigInteger B) Fp2Multiply((BigInteger A, BigInteger B) x, (BigInteger A, BigInteger B) y) =>
        (Mod((x.A * y.A) - (x.B * y.B)), Mod((x.A * y.B) + (x.B * y.A)));

    public static (BigInteger A, BigInteger B) Fp2Inverse((BigInteger A, BigInteger B) x)
    {
        var inverseNorm = Inverse((x.A * x.A) + (x.B * x.B));
        return (Mod(x.A * inverseNorm), Mod(-x.B * inverseNorm));
    }

    /// <summary>A square root in F_p2 = F_p[i]/(i^2 + 1), or null if none exists (the "complex method").</summary>
    public static (BigInteger A, BigInteger B)? Fp2SquareRoot((BigInteger A, BigInteger B) value)
    {
        var alpha = SquareRoot((value.A * value.A) + (value.B * value.B));
        if (alpha is null)
        {
            return null;
        }

        var half = Inverse(2);
        foreach (var delta in new[] { Mod((value.A + alpha.Value) * half), Mod((value.A - alpha.Value) * half) })
        {
            var x0 = SquareRoot(delta);
            if (x0 is null || x0.Value.IsZero)
            {
                continue;
            }

            var x1 = Mod(value.B * Inverse(2 * x0.Value));
            var root = (x0.Value, x1);
            if (Fp2Multiply(root, root) == (Mod(value.A), Mod(value.B)))
            {
                return root;
            }
        }

        return null;
    }

    private static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
