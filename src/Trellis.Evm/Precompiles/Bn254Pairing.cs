using System.Numerics;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// The optimal ate pairing on bn254 (Vercauteren, "Optimal pairings", 2010): a Miller loop over 6u + 2 with two
/// extra Frobenius-twisted lines, then the final exponentiation to the power (p^12 - 1) / r. Several pairs share one
/// accumulator and one final exponentiation, which is all the EIP-197 product check needs.
/// </summary>
internal static class Bn254Pairing
{
    // (p^4 - p^2 + 1) / r, the "hard part" of the final exponentiation.
    private static readonly BigInteger HardExponent =
        (BigInteger.Pow(Bn254Curve.FieldModulus, 4) - BigInteger.Pow(Bn254Curve.FieldModulus, 2) + 1) / Bn254Curve.GroupOrder;

    /// <summary>True when the product of e(P_i, Q_i) is 1. Pairs with a point at infinity contribute 1.</summary>
    public static bool ProductIsOne(ReadOnlySpan<Bn254G1> g1, ReadOnlySpan<Bn254G2> g2)
    {
        var f = Bn254Fp12.One;
        var any = false;
        for (var i = 0; i < g1.Length; i++)
        {
            if (g1[i].IsInfinity || g2[i].IsInfinity)
            {
                continue;
            }

            var (px, py) = g1[i].ToAffine();
            var (qx, qy) = g2[i].ToAffine();
            f *= MillerLoop(px, py, qx, qy);
            any = true;
        }

        return !any || FinalExponentiation(f).IsOne;
    }

    /// <summary>The full pairing value e(P, Q) (for tests of bilinearity).</summary>
    internal static Bn254Fp12 Pair(in Bn254G1 p, in Bn254G2 q)
    {
        if (p.IsInfinity || q.IsInfinity)
        {
            return Bn254Fp12.One;
        }

        var (px, py) = p.ToAffine();
        var (qx, qy) = q.ToAffine();
        return FinalExponentiation(MillerLoop(px, py, qx, qy));
    }

    /// <summary>
    /// Miller loop with T kept in affine twist coordinates. Under the untwisting map (x, y) ↦ (x w^2, y w^3) the line
    /// through T with twist slope λ, evaluated at P, is yP - λ xP w + (λ xT - yT) w^3; vertical lines are dropped
    /// because they lie in a proper subfield and vanish in the final exponentiation.
    /// </summary>
    private static Bn254Fp12 MillerLoop(Bn254Fp px, Bn254Fp py, Bn254Fp2 qx, Bn254Fp2 qy)
    {
        var f = Bn254Fp12.One;
        var tx = qx;
        var ty = qy;
        var loop = Bn254Curve.AteLoopCount;
        var top = 127 - (int)UInt128.LeadingZeroCount(loop);
        for (var bit = top - 1; bit >= 0; bit--)
        {
            // Doubling step: λ = 3 x^2 / 2y.
            var lambda = tx.Square() * Bn254Fp.FromUInt64(3) * ty.Double().Inverse();
            f = f.Square().MultiplyByLine(py, -(lambda * px), (lambda * tx) - ty);
            var x2 = lambda.Square() - tx.Double();
            ty = (lambda * (tx - x2)) - ty;
            tx = x2;

            if (((loop >> bit) & 1) != 0)
            {
                f = AddStep(f, ref tx, ref ty, qx, qy, px, py);
            }
        }

        // Q1 = π(Q), Q2 = π^2(Q) on the twist: coordinates are conjugated (for odd powers) and scaled by
        // ξ^((p^n - 1)/3) for x and ξ^((p^n - 1)/2) for y. The loop ends with T + Q1 and then T - Q2.
        var q1x = qx.Conjugate() * Bn254Fp12.FrobeniusCoefficient(1, 2);
        var q1y = qy.Conjugate() * Bn254Fp12.FrobeniusCoefficient(1, 3);
        var q2x = qx * Bn254Fp12.FrobeniusCoefficient(2, 2);
        var q2y = -(qy * Bn254Fp12.FrobeniusCoefficient(2, 3));
        f = AddStep(f, ref tx, ref ty, q1x, q1y, px, py);
        f = LineOnly(f, tx, ty, q2x, q2y, px, py);
        return f;
    }

    private static Bn254Fp12 AddStep(Bn254Fp12 f, ref Bn254Fp2 tx, ref Bn254Fp2 ty, Bn254Fp2 qx, Bn254Fp2 qy, Bn254Fp px, Bn254Fp py)
    {
        // T and Q are multiples of a point of prime order r by distinct factors below r, so T ≠ ±Q here.
        var lambda = (qy - ty) * (qx - tx).Inverse();
        f = f.MultiplyByLine(py, -(lambda * px), (lambda * tx) - ty);
        var x3 = lambda.Square() - tx - qx;
        ty = (lambda * (tx - x3)) - ty;
        tx = x3;
        return f;
    }

    private static Bn254Fp12 LineOnly(Bn254Fp12 f, Bn254Fp2 tx, Bn254Fp2 ty, Bn254Fp2 qx, Bn254Fp2 qy, Bn254Fp px, Bn254Fp py)
    {
        var lambda = (qy - ty) * (qx - tx).Inverse();
        return f.MultiplyByLine(py, -(lambda * px), (lambda * tx) - ty);
    }

    /// <summary>f^((p^12 - 1) / r) = ((f^(p^6 - 1))^(p^2 + 1))^((p^4 - p^2 + 1) / r).</summary>
    internal static Bn254Fp12 FinalExponentiation(Bn254Fp12 f)
    {
        var t = f.Conjugate() * f.Inverse();
        t = t.Frobenius(2) * t;
        return t.Pow(HardExponent);
    }
}
