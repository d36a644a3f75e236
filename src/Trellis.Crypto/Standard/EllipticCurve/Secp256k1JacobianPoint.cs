namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// A point of secp256k1 in Jacobian coordinates (X, Y, Z) representing (X / Z^2, Y / Z^3), or the point at infinity.
/// The formulas rely on the curve coefficient a = 0 but not on b, so they also serve isomorphic curves
/// y^2 = x^3 + 7 z^6 (used to keep precomputed multiples in affine form with a shared denominator).
/// </summary>
internal struct Secp256k1JacobianPoint
{
    public Secp256k1Field X;
    public Secp256k1Field Y;
    public Secp256k1Field Z;
    public bool IsInfinity;

    public static Secp256k1JacobianPoint Infinity => new() { IsInfinity = true };

    public static Secp256k1JacobianPoint FromAffine(in Secp256k1Field x, in Secp256k1Field y) =>
        new() { X = x, Y = y, Z = Secp256k1Field.One };

    /// <summary>
    /// Doubles in place (3M + 4S for a = 0). secp256k1 has no point of order two, so Y and hence Z stay non-zero.
    /// </summary>
    /// <remarks>
    /// The textbook result (M^2 - 2S, M(S - X3) - 8Y^4, 2YZ) with M = 3X^2, S = 4XY^2 is scaled by 1/2 in the
    /// projective class, which represents the same point and needs fewer additions: with L = 3X^2 / 2 (computed as
    /// X^2 + X^2 / 2) and U = XY^2, X3 = L^2 - 2U, Y3 = L (U - X3) - Y^4, Z3 = YZ (five additions in all).
    /// </remarks>
    public void Double()
    {
        if (IsInfinity)
        {
            return;
        }

        var z3 = Secp256k1Field.Multiply(Y, Z);
        var s = Secp256k1Field.Square(Y);
        var l = Secp256k1Field.Square(X);
        l = Secp256k1Field.Add(l, Secp256k1Field.Half(l));
        var u = Secp256k1Field.Multiply(s, X);
        var x3 = Secp256k1Field.Subtract(Secp256k1Field.Square(l), Secp256k1Field.Double(u));
        var y3 = Secp256k1Field.Subtract(Secp256k1Field.Multiply(l, Secp256k1Field.Subtract(u, x3)), Secp256k1Field.Square(s));
        X = x3;
        Y = y3;
        Z = z3;
    }

    /// <summary>Adds the affine point (x, y) of the same curve in place (variable time); returns H, the factor by which Z grew (zero if it did not).</summary>
    public Secp256k1Field AddAffine(in Secp256k1Field x, in Secp256k1Field y)
    {
        if (IsInfinity)
        {
            X = x;
            Y = y;
            Z = Secp256k1Field.One;
            IsInfinity = false;
            return Secp256k1Field.Zero;
        }

        return AddAffineCore(x, y, Z);
    }

    /// <summary>
    /// Adds an affine point of the original curve while this point lives on the isomorphic curve reached by scaling
    /// with <paramref name="scale"/> (original Jacobian Z = this Z * scale). Variable time.
    /// </summary>
    public void AddAffineScaled(in Secp256k1Field x, in Secp256k1Field y, in Secp256k1Field scale)
    {
        if (IsInfinity)
        {
            var scale2 = Secp256k1Field.Square(scale);
            X = Secp256k1Field.Multiply(x, scale2);
            Y = Secp256k1Field.Multiply(y, Secp256k1Field.Multiply(scale2, scale));
            Z = Secp256k1Field.One;
            IsInfinity = false;
            return;
        }

        AddAffineCore(x, y, Secp256k1Field.Multiply(Z, scale));
    }

    /// <summary>Mixed addition (8M + 3S) where <paramref name="z1"/> plays the role of Z when mapping (x, y) to this point's coordinates.</summary>
    private Secp256k1Field AddAffineCore(in Secp256k1Field x, in Secp256k1Field y, in Secp256k1Field z1)
    {
        var z1z1 = Secp256k1Field.Square(z1);
        var u2 = Secp256k1Field.Multiply(x, z1z1);
        var s2 = Secp256k1Field.Multiply(y, Secp256k1Field.Multiply(z1, z1z1));
        var h = Secp256k1Field.Subtract(u2, X);
        var r = Secp256k1Field.Subtract(s2, Y);
        if (h.IsZero)
        {
            if (r.IsZero)
            {
                // The points are equal: double (Z grows by 2Y, which callers building tables never hit).
                Double();
            }
            else
            {
                IsInfinity = true;
            }

            return Secp256k1Field.Zero;
        }

        var hh = Secp256k1Field.Square(h);
        var hhh = Secp256k1Field.Multiply(h, hh);
        var v = Secp256k1Field.Multiply(X, hh);
        var x3 = Secp256k1Field.Subtract(Secp256k1Field.Subtract(Secp256k1Field.Square(r), hhh), Secp256k1Field.Double(v));
        var y3 = Secp256k1Field.Subtract(Secp256k1Field.Multiply(r, Secp256k1Field.Subtract(v, x3)), Secp256k1Field.Multiply(Y, hhh));
        Z = Secp256k1Field.Multiply(Z, h);
        X = x3;
        Y = y3;
        return h;
    }

    /// <summary>
    /// Constant-time mixed addition for the fixed-base comb: adds (x, y) when <paramref name="addMask"/> is all ones,
    /// keeps this point when it is zero. <paramref name="infinityMask"/> (all ones while this point is still the
    /// point at infinity) is updated. The caller guarantees the two points are never equal or opposite.
    /// </summary>
    public void AddAffineMasked(in Secp256k1Field x, in Secp256k1Field y, ulong addMask, ref ulong infinityMask)
    {
        var z1z1 = Secp256k1Field.Square(Z);
        var u2 = Secp256k1Field.Multiply(x, z1z1);
        var s2 = Secp256k1Field.Multiply(y, Secp256k1Field.Multiply(Z, z1z1));
        var h = Secp256k1Field.Subtract(u2, X);
        var r = Secp256k1Field.Subtract(s2, Y);
        var hh = Secp256k1Field.Square(h);
        var hhh = Secp256k1Field.Multiply(h, hh);
        var v = Secp256k1Field.Multiply(X, hh);
        var x3 = Secp256k1Field.Subtract(Secp256k1Field.Subtract(Secp256k1Field.Square(r), hhh), Secp256k1Field.Double(v));
        var y3 = Secp256k1Field.Subtract(Secp256k1Field.Multiply(r, Secp256k1Field.Subtract(v, x3)), Secp256k1Field.Multiply(Y, hhh));
        var z3 = Secp256k1Field.Multiply(Z, h);

        // From infinity the sum is the added point itself.
        x3 = Secp256k1Field.Select(infinityMask, x, x3);
        y3 = Secp256k1Field.Select(infinityMask, y, y3);
        z3 = Secp256k1Field.Select(infinityMask, Secp256k1Field.One, z3);

        X = Secp256k1Field.Select(addMask, x3, X);
        Y = Secp256k1Field.Select(addMask, y3, Y);
        Z = Secp256k1Field.Select(addMask, z3, Z);
        infinityMask &= ~addMask;
    }
}
