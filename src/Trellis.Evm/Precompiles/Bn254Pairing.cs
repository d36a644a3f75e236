using System.Numerics;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// The optimal ate pairing on bn254 (Vercauteren, "Optimal pairings", 2010): a Miller loop over 6u + 2 with two
/// extra Frobenius-twisted lines, then the final exponentiation to the power (p^12 - 1) / r. Several pairs share one
/// accumulator and one final exponentiation, which is all the EIP-197 product check needs.
/// </summary>
internal static class Bn254Pairing
{
    // (p^4 - p^2 + 1) / r, the "hard part" of the final exponentiation (used by the slow reference path).
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
    /// Miller loop with T in Jacobian twist coordinates, so no step needs an inversion. With T = (X/Z^2, Y/Z^3) the
    /// affine line through T with twist slope λ, evaluated at P under the untwisting map (x, y) ↦ (x w^2, y w^3), is
    /// yP - λ xP w + (λ xT - yT) w^3. Each line is scaled by an F_p2 factor chosen to clear denominators; such factors,
    /// like the vertical lines that are dropped, lie in a proper subfield and vanish in the final exponentiation.
    /// </summary>
    internal static Bn254Fp12 MillerLoop(Bn254Fp px, Bn254Fp py, Bn254Fp2 qx, Bn254Fp2 qy)
    {
        var f = Bn254Fp12.One;
        var t = Bn254G2.FromAffine(qx, qy);
        var loop = Bn254Curve.AteLoopCount;
        var top = 127 - (int)UInt128.LeadingZeroCount(loop);
        for (var bit = top - 1; bit >= 0; bit--)
        {
            f = f.Square();
            f = DoublingStep(f, ref t, px, py);
            if (((loop >> bit) & 1) != 0)
            {
                f = AdditionStep(f, ref t, qx, qy, px, py, updatePoint: true);
            }
        }

        // Q1 = π(Q), Q2 = π^2(Q) on the twist: coordinates are conjugated (for odd powers) and scaled by
        // ξ^((p^n - 1)/3) for x and ξ^((p^n - 1)/2) for y. The loop ends with the lines for T + Q1 and (T + Q1) - Q2.
        var q1x = qx.Conjugate() * Bn254Fp12.FrobeniusCoefficient(1, 2);
        var q1y = qy.Conjugate() * Bn254Fp12.FrobeniusCoefficient(1, 3);
        var q2x = qx * Bn254Fp12.FrobeniusCoefficient(2, 2);
        var minusQ2y = -(qy * Bn254Fp12.FrobeniusCoefficient(2, 3));
        f = AdditionStep(f, ref t, q1x, q1y, px, py, updatePoint: true);
        f = AdditionStep(f, ref t, q2x, minusQ2y, px, py, updatePoint: false);
        return f;
    }

    /// <summary>
    /// T ← 2T (dbl-2009-l) and f ← f · line. With λ = 3X^2 / (2YZ) the line scaled by 2YZ^3 = Z3·Z^2 is
    /// (Z3 Z^2) yP - (3X^2 Z^2) xP w + (3X^3 - 2Y^2) w^3.
    /// </summary>
    private static Bn254Fp12 DoublingStep(Bn254Fp12 f, ref Bn254G2 t, Bn254Fp px, Bn254Fp py)
    {
        var a = t.X.Square();
        var b = t.Y.Square();
        var c = b.Square();
        var zz = t.Z.Square();
        var d = ((t.X + b).Square() - a - c).Double();
        var e = a.Double() + a;
        var x3 = e.Square() - d.Double();
        var y3 = (e * (d - x3)) - c.Double().Double().Double();
        var z3 = (t.Y * t.Z).Double();

        var l0 = z3 * zz * py;
        var l1 = -(e * zz * px);
        var l3 = (e * t.X) - b.Double();
        t = new Bn254G2(x3, y3, z3);
        return f.MultiplyByLine(l0, l1, l3);
    }

    /// <summary>
    /// f ← f · line(T, Q) and, if asked, T ← T + Q (mixed Jacobian + affine addition, madd-2007-bl). With
    /// H = x2 Z^2 - X, r = 2(y2 Z^3 - Y) and Z3 = 2ZH, λ = r / Z3 and the line through Q scaled by Z3 is
    /// Z3 yP - r xP w + (r x2 - Z3 y2) w^3. T and Q are distinct multiples of a point of prime order r by factors
    /// below r, so T ≠ ±Q and H ≠ 0.
    /// </summary>
    private static Bn254Fp12 AdditionStep(
        Bn254Fp12 f, ref Bn254G2 t, Bn254Fp2 x2, Bn254Fp2 y2, Bn254Fp px, Bn254Fp py, bool updatePoint)
    {
        var z1z1 = t.Z.Square();
        var u2 = x2 * z1z1;
        var s2 = y2 * t.Z * z1z1;
        var h = u2 - t.X;
        var hh = h.Square();
        var r = (s2 - t.Y).Double();
        var z3 = (t.Z + h).Square() - z1z1 - hh;

        var l0 = z3 * py;
        var l1 = -(r * px);
        var l3 = (r * x2) - (z3 * y2);
        if (updatePoint)
        {
            var i = hh.Double().Double();
            var j = h * i;
            var v = t.X * i;
            var x3 = r.Square() - j - v.Double();
            var y3 = (r * (v - x3)) - (t.Y * j).Double();
            t = new Bn254G2(x3, y3, z3);
        }

        return f.MultiplyByLine(l0, l1, l3);
    }

    /// <summary>
    /// f^((p^12 - 1) / r). The easy part (p^6 - 1)(p^2 + 1) uses a conjugate, one inversion and a Frobenius; the hard
    /// part (p^4 - p^2 + 1) / r = λ0 + λ1 p + λ2 p^2 + λ3 p^3 is evaluated with the addition chain of Scott, Benger,
    /// Charlemagne, Dominguez Perez and Kachisa ("On the final exponentiation for calculating pairings on ordinary
    /// elliptic curves", 2009), which needs three exponentiations by u. After the easy part f is in the cyclotomic
    /// subgroup, where the conjugate is the inverse.
    /// </summary>
    internal static Bn254Fp12 FinalExponentiation(Bn254Fp12 f)
    {
        var t = f.Conjugate() * f.Inverse();
        t = t.Frobenius(2) * t;

        var a = t.PowU();
        var b = a.PowU();
        var c = b.PowU();
        var y0 = t.Frobenius(1) * t.Frobenius(2) * t.Frobenius(3);
        var y1 = t.Conjugate();
        var y2 = b.Frobenius(2);
        var y3 = a.Frobenius(1).Conjugate();
        var y4 = (b.Frobenius(1) * a).Conjugate();
        var y5 = b.Conjugate();
        var y6 = (c * c.Frobenius(1)).Conjugate();

        var t0 = y6.Square() * y4 * y5;
        var t1 = y3 * y5 * t0;
        t0 *= y2;
        t1 = (t1.Square() * t0).Square();
        t0 = t1 * y1;
        t1 *= y0;
        t0 = t0.Square();
        return t1 * t0;
    }

    /// <summary>The same map by plain square-and-multiply with the hard exponent (slow; a cross-check for tests).</summary>
    internal static Bn254Fp12 FinalExponentiationReference(Bn254Fp12 f)
    {
        var t = f.Conjugate() * f.Inverse();
        t = t.Frobenius(2) * t;
        return t.Pow(HardExponent);
    }
}
