namespace Trellis.Evm.Precompiles;

/// <summary>
/// A point of the bn254 twist E': y^2 = x^3 + 3/ξ over F_p2, in Jacobian coordinates; Z = 0 is infinity.
/// G2 is the order-r subgroup of E'(F_p2), whose cofactor is not 1, so decoded points are checked for membership.
/// </summary>
internal readonly struct Bn254G2
{
    internal readonly Bn254Fp2 X;
    internal readonly Bn254Fp2 Y;
    internal readonly Bn254Fp2 Z;

    internal Bn254G2(Bn254Fp2 x, Bn254Fp2 y, Bn254Fp2 z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Bn254G2 Infinity => new(Bn254Fp2.One, Bn254Fp2.One, Bn254Fp2.Zero);

    public bool IsInfinity => Z.IsZero;

    public static Bn254G2 FromAffine(Bn254Fp2 x, Bn254Fp2 y) => new(x, y, Bn254Fp2.One);

    /// <summary>
    /// Decodes 128 bytes per EIP-197: x and y, each as (imaginary, real) 32-byte big-endian halves. All zeros is
    /// infinity; otherwise every half must be below p, the point on the twist and in the order-r subgroup.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> input128, out Bn254G2 point)
    {
        point = Infinity;
        if (!Bn254Fp.TryRead(input128[..32], out var xImaginary)
            || !Bn254Fp.TryRead(input128.Slice(32, 32), out var xReal)
            || !Bn254Fp.TryRead(input128.Slice(64, 32), out var yImaginary)
            || !Bn254Fp.TryRead(input128.Slice(96, 32), out var yReal))
        {
            return false;
        }

        var x = new Bn254Fp2(xReal, xImaginary);
        var y = new Bn254Fp2(yReal, yImaginary);
        if (x.IsZero && y.IsZero)
        {
            return true;
        }

        if (y.Square() != (x.Square() * x) + Bn254Curve.TwistB)
        {
            return false;
        }

        var candidate = FromAffine(x, y);
        if (!candidate.Multiply(Bn254Curve.GroupOrderBytes).IsInfinity)
        {
            return false;
        }

        point = candidate;
        return true;
    }

    public (Bn254Fp2 X, Bn254Fp2 Y) ToAffine()
    {
        var zInverse = Z.Inverse();
        var zInverse2 = zInverse.Square();
        return (X * zInverse2, Y * zInverse2 * zInverse);
    }

    public Bn254G2 Double()
    {
        if (IsInfinity)
        {
            return this;
        }

        var a = X.Square();
        var b = Y.Square();
        var c = b.Square();
        var d = ((X + b).Square() - a - c).Double();
        var e = a.Double() + a;
        var f = e.Square();
        var x3 = f - d.Double();
        var c8 = c.Double().Double().Double();
        var y3 = (e * (d - x3)) - c8;
        var z3 = (Y * Z).Double();
        return new Bn254G2(x3, y3, z3);
    }

    public Bn254G2 Add(in Bn254G2 other)
    {
        if (IsInfinity)
        {
            return other;
        }

        if (other.IsInfinity)
        {
            return this;
        }

        var z1z1 = Z.Square();
        var z2z2 = other.Z.Square();
        var u1 = X * z2z2;
        var u2 = other.X * z1z1;
        var s1 = Y * other.Z * z2z2;
        var s2 = other.Y * Z * z1z1;
        var h = u2 - u1;
        var r = (s2 - s1).Double();
        if (h.IsZero)
        {
            return r.IsZero ? Double() : Infinity;
        }

        var i = h.Double().Square();
        var j = h * i;
        var v = u1 * i;
        var x3 = r.Square() - j - v.Double();
        var y3 = (r * (v - x3)) - (s1 * j).Double();
        var z3 = ((Z + other.Z).Square() - z1z1 - z2z2) * h;
        return new Bn254G2(x3, y3, z3);
    }

    /// <summary>Multiplies by a big-endian scalar.</summary>
    public Bn254G2 Multiply(ReadOnlySpan<byte> scalarBigEndian)
    {
        var result = Infinity;
        for (var i = 0; i < scalarBigEndian.Length; i++)
        {
            var b = scalarBigEndian[i];
            for (var bit = 7; bit >= 0; bit--)
            {
                result = result.Double();
                if (((b >> bit) & 1) != 0)
                {
                    result = result.Add(this);
                }
            }
        }

        return result;
    }
}
