using System.Numerics;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// An element C0 + C1·w of F_p12 = F_p6[w] / (w^2 - v), the target field of the bn254 pairing.
/// Seen over F_p2 it is Σ g_k w^k (k = 0..5) with g0 = C0.C0, g1 = C1.C0, g2 = C0.C1, g3 = C1.C1, g4 = C0.C2,
/// g5 = C1.C2 and w^6 = ξ; the Frobenius maps below act on that basis.
/// </summary>
internal readonly struct Bn254Fp12 : IEquatable<Bn254Fp12>
{
    internal readonly Bn254Fp6 C0;
    internal readonly Bn254Fp6 C1;

    // FrobeniusCoefficients[n - 1][k] = ξ^(k (p^n - 1) / 6): (g w^k)^(p^n) = g^(p^n) · w^k · ξ^(k (p^n - 1) / 6).
    private static readonly Bn254Fp2[][] FrobeniusCoefficients = ComputeFrobeniusCoefficients();

    internal Bn254Fp12(Bn254Fp6 c0, Bn254Fp6 c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public static Bn254Fp12 One => new(Bn254Fp6.One, Bn254Fp6.Zero);

    public bool IsOne => C0 == Bn254Fp6.One && C1.IsZero;

    public static Bn254Fp12 operator *(in Bn254Fp12 x, in Bn254Fp12 y)
    {
        var t0 = x.C0 * y.C0;
        var t1 = x.C1 * y.C1;
        var c1 = ((x.C0 + x.C1) * (y.C0 + y.C1)) - t0 - t1;
        return new Bn254Fp12(t0 + t1.MultiplyByV(), c1);
    }

    public static bool operator ==(in Bn254Fp12 x, in Bn254Fp12 y) => x.Equals(y);

    public static bool operator !=(in Bn254Fp12 x, in Bn254Fp12 y) => !x.Equals(y);

    public Bn254Fp12 Square()
    {
        // (a + bw)^2 = (a + b)(a + bv) - ab - abv + 2ab·w
        var ab = C0 * C1;
        var c0 = ((C0 + C1) * (C0 + C1.MultiplyByV())) - ab - ab.MultiplyByV();
        return new Bn254Fp12(c0, ab + ab);
    }

    /// <summary>
    /// Multiplies by a line value l0 + l1·w + l3·w^3 (the shape every Miller-loop line has under the D-type twist:
    /// in the F_p6 halves it is (l0, 0, 0) + (l1, l3, 0)·w).
    /// </summary>
    public Bn254Fp12 MultiplyByLine(Bn254Fp2 l0, Bn254Fp2 l1, Bn254Fp2 l3)
    {
        var t0 = C0 * l0;
        var t1 = C1.MultiplyBy01(l1, l3);
        var c1 = (C0 + C1).MultiplyBy01(l0 + l1, l3) - t0 - t1;
        return new Bn254Fp12(t0 + t1.MultiplyByV(), c1);
    }

    /// <summary>The conjugate C0 - C1·w, which is x^(p^6); on the cyclotomic subgroup it is the inverse.</summary>
    public Bn254Fp12 Conjugate() => new(C0, -C1);

    public Bn254Fp12 Inverse()
    {
        // 1 / (a + bw) = (a - bw) / (a^2 - b^2 v)
        var inverseNorm = (C0.Square() - C1.Square().MultiplyByV()).Inverse();
        return new Bn254Fp12(C0 * inverseNorm, -(C1 * inverseNorm));
    }

    /// <summary>x^(p^power) for power 1, 2 or 3.</summary>
    public Bn254Fp12 Frobenius(int power)
    {
        var gamma = FrobeniusCoefficients[power - 1];
        var odd = (power & 1) == 1;
        Bn254Fp2 Map(Bn254Fp2 g, int k) => (odd ? g.Conjugate() : g) * gamma[k];
        return new Bn254Fp12(
            new Bn254Fp6(Map(C0.C0, 0), Map(C0.C1, 2), Map(C0.C2, 4)),
            new Bn254Fp6(Map(C1.C0, 1), Map(C1.C1, 3), Map(C1.C2, 5)));
    }

    /// <summary>x^u for the BN parameter u (square and multiply over its 63 bits).</summary>
    public Bn254Fp12 PowU()
    {
        var result = this;
        for (var bit = 61; bit >= 0; bit--)
        {
            result = result.Square();
            if (((Bn254Curve.U >> bit) & 1) != 0)
            {
                result *= this;
            }
        }

        return result;
    }

    /// <summary>x^e for a non-negative exponent (square and multiply, most significant bit first).</summary>
    public Bn254Fp12 Pow(BigInteger exponent)
    {
        var result = One;
        for (var bit = (int)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> bit).IsEven)
            {
                result *= this;
            }
        }

        return result;
    }

    /// <summary>Frobenius constant ξ^(k (p^n - 1) / 6) for n = 1..3, k = 0..5 (also used by the G2 endomorphism).</summary>
    internal static Bn254Fp2 FrobeniusCoefficient(int power, int k) => FrobeniusCoefficients[power - 1][k];

    public bool Equals(Bn254Fp12 other) => C0 == other.C0 && C1 == other.C1;

    public override bool Equals(object? obj) => obj is Bn254Fp12 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(C0, C1);

    private static Bn254Fp2[][] ComputeFrobeniusCoefficients()
    {
        var p = Bn254Curve.FieldModulus;
        var table = new Bn254Fp2[3][];
        for (var n = 1; n <= 3; n++)
        {
            table[n - 1] = new Bn254Fp2[6];
            var step = (BigInteger.Pow(p, n) - 1) / 6;
            for (var k = 0; k < 6; k++)
            {
                table[n - 1][k] = Power(Bn254Fp2.Xi, step * k);
            }
        }

        return table;
    }

    private static Bn254Fp2 Power(Bn254Fp2 value, BigInteger exponent)
    {
        var result = Bn254Fp2.One;
        for (var bit = (int)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> bit).IsEven)
            {
                result *= value;
            }
        }

        return result;
    }
}
