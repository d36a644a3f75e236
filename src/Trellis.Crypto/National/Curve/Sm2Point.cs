using System.Runtime.CompilerServices;

namespace Trellis.Crypto.National.Curve;

/// <summary>
/// A point of the SM2 curve y^2 = x^3 - 3x + b over GF(p) in Jacobian coordinates (x = X/Z^2, y = Y/Z^3);
/// Z = 0 is the point at infinity. Formulas are from the Explicit-Formulas Database (dbl-2001-b for a = -3 with 2YZ for Z3,
/// add-2007-bl, madd-2007-bl), with the exceptional cases (equal or opposite inputs, infinity) handled.
/// </summary>
internal readonly struct Sm2Point
{
    /// <summary>The curve coefficient b.</summary>
    public static readonly Sm2Field CurveB = new(0xDDBCBD414D940E93, 0xF39789F515AB8F92, 0x4D5A9E4BCF6509A7, 0x28E9FA9E9D9F5E34);

    /// <summary>The base point G in affine coordinates.</summary>
    public static readonly Sm2AffinePoint Generator = new(
        Sm2Field.FromPlain(0x715A4589334C74C7, 0x8FE30BBFF2660BE1, 0x5F9904466A39C994, 0x32C4AE2C1F198119),
        Sm2Field.FromPlain(0x02DF32E52139F0A0, 0xD0A9877CC62A4740, 0x59BDCEE36B692153, 0xBC3736A2F4F6779C));

    public readonly Sm2Field X;
    public readonly Sm2Field Y;
    public readonly Sm2Field Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Sm2Point(Sm2Field x, Sm2Field y, Sm2Field z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Sm2Point Infinity => default;

    public bool IsInfinity => Z.IsZero;

    public static Sm2Point FromAffine(in Sm2AffinePoint p) => new(p.X, p.Y, Sm2Field.One);

    public Sm2Point Negate() => new(X, Sm2Field.Negate(Y), Z);

    /// <summary>Converts to affine coordinates; the caller checks <see cref="IsInfinity"/> first.</summary>
    public Sm2AffinePoint ToAffine()
    {
        var zInv = Sm2Field.Invert(Z);
        var zInv2 = Sm2Field.Square(zInv);
        var zInv3 = Sm2Field.Multiply(zInv2, zInv);
        return new Sm2AffinePoint(Sm2Field.Multiply(X, zInv2), Sm2Field.Multiply(Y, zInv3));
    }

    /// <summary>
    /// 2P with the a = -3 doubling (dbl-2001-b, 4M + 4S here: Z3 = 2 Y Z replaces (Y + Z)^2 - gamma - delta, which
    /// costs the same multiplication but three additions instead of one). Small multiples use one reduction each.
    /// Infinity doubles to infinity (Z stays 0).
    /// </summary>
    public static Sm2Point Double(in Sm2Point p)
    {
        var delta = Sm2Field.Square(p.Z);
        var gamma = Sm2Field.Square(p.Y);
        var beta = Sm2Field.Multiply(p.X, gamma);
        var alpha = Sm2Field.Triple(Sm2Field.Multiply(Sm2Field.Subtract(p.X, delta), Sm2Field.Add(p.X, delta)));
        var beta4 = Sm2Field.Quadruple(beta);
        var x3 = Sm2Field.Subtract(Sm2Field.Square(alpha), Sm2Field.Octuple(beta));
        var z3 = Sm2Field.Double(Sm2Field.Multiply(p.Y, p.Z));
        var gamma2x8 = Sm2Field.Octuple(Sm2Field.Square(gamma));
        var y3 = Sm2Field.Subtract(Sm2Field.Multiply(alpha, Sm2Field.Subtract(beta4, x3)), gamma2x8);
        return new Sm2Point(x3, y3, z3);
    }

    /// <summary>P + Q for Jacobian P and Q.</summary>
    public static Sm2Point Add(in Sm2Point p, in Sm2Point q)
    {
        if (p.IsInfinity)
        {
            return q;
        }

        if (q.IsInfinity)
        {
            return p;
        }

        var z1z1 = Sm2Field.Square(p.Z);
        var z2z2 = Sm2Field.Square(q.Z);
        var u1 = Sm2Field.Multiply(p.X, z2z2);
        var u2 = Sm2Field.Multiply(q.X, z1z1);
        var s1 = Sm2Field.Multiply(p.Y, Sm2Field.Multiply(q.Z, z2z2));
        var s2 = Sm2Field.Multiply(q.Y, Sm2Field.Multiply(p.Z, z1z1));
        var h = Sm2Field.Subtract(u2, u1);
        var r = Sm2Field.Double(Sm2Field.Subtract(s2, s1));
        if (h.IsZero)
        {
            return r.IsZero ? Double(p) : Infinity;
        }

        var h2 = Sm2Field.Double(h);
        var i = Sm2Field.Square(h2);
        var j = Sm2Field.Multiply(h, i);
        var v = Sm2Field.Multiply(u1, i);
        var x3 = Sm2Field.Subtract(Sm2Field.Subtract(Sm2Field.Square(r), j), Sm2Field.Double(v));
        var y3 = Sm2Field.Subtract(Sm2Field.Multiply(r, Sm2Field.Subtract(v, x3)), Sm2Field.Double(Sm2Field.Multiply(s1, j)));
        var zz = Sm2Field.Add(p.Z, q.Z);
        var z3 = Sm2Field.Multiply(Sm2Field.Subtract(Sm2Field.Subtract(Sm2Field.Square(zz), z1z1), z2z2), h);
        return new Sm2Point(x3, y3, z3);
    }

    /// <summary>P + Q for Jacobian P and affine Q (7M + 4S).</summary>
    public static Sm2Point AddMixed(in Sm2Point p, in Sm2AffinePoint q)
    {
        if (p.IsInfinity)
        {
            return FromAffine(q);
        }

        var z1z1 = Sm2Field.Square(p.Z);
        var u2 = Sm2Field.Multiply(q.X, z1z1);
        var s2 = Sm2Field.Multiply(q.Y, Sm2Field.Multiply(p.Z, z1z1));
        var h = Sm2Field.Subtract(u2, p.X);
        var r = Sm2Field.Double(Sm2Field.Subtract(s2, p.Y));
        if (h.IsZero)
        {
            return r.IsZero ? Double(p) : Infinity;
        }

        var hh = Sm2Field.Square(h);
        var i = Sm2Field.Quadruple(hh);
        var j = Sm2Field.Multiply(h, i);
        var v = Sm2Field.Multiply(p.X, i);
        var x3 = Sm2Field.Subtract(Sm2Field.Subtract(Sm2Field.Square(r), j), Sm2Field.Double(v));
        var y3 = Sm2Field.Subtract(Sm2Field.Multiply(r, Sm2Field.Subtract(v, x3)), Sm2Field.Double(Sm2Field.Multiply(p.Y, j)));
        var zh = Sm2Field.Add(p.Z, h);
        var z3 = Sm2Field.Subtract(Sm2Field.Subtract(Sm2Field.Square(zh), z1z1), hh);
        return new Sm2Point(x3, y3, z3);
    }
}
