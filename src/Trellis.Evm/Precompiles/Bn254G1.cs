namespace Trellis.Evm.Precompiles;

/// <summary>
/// A point of bn254 G1 (E: y^2 = x^3 + 3 over F_p) in Jacobian coordinates (X/Z^2, Y/Z^3); Z = 0 is the point at
/// infinity. G1 has cofactor 1, so every point on the curve is in the group.
/// </summary>
internal readonly struct Bn254G1
{
    internal readonly Bn254Fp X;
    internal readonly Bn254Fp Y;
    internal readonly Bn254Fp Z;

    internal Bn254G1(Bn254Fp x, Bn254Fp y, Bn254Fp z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Bn254G1 Infinity => new(Bn254Fp.One, Bn254Fp.One, Bn254Fp.Zero);

    public bool IsInfinity => Z.IsZero;

    public static Bn254G1 FromAffine(Bn254Fp x, Bn254Fp y) => new(x, y, Bn254Fp.One);

    /// <summary>
    /// Decodes 64 bytes (x, y big-endian) per EIP-196: (0, 0) is infinity; coordinates must be below p and the
    /// point on the curve.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> input64, out Bn254G1 point)
    {
        point = Infinity;
        if (!Bn254Fp.TryRead(input64[..32], out var x) || !Bn254Fp.TryRead(input64.Slice(32, 32), out var y))
        {
            return false;
        }

        if (x.IsZero && y.IsZero)
        {
            return true;
        }

        if (y.Square() != (x.Square() * x) + Bn254Curve.B)
        {
            return false;
        }

        point = FromAffine(x, y);
        return true;
    }

    /// <summary>Writes the affine coordinates as 64 big-endian bytes; infinity is written as zeros.</summary>
    public void Encode(Span<byte> output64)
    {
        if (IsInfinity)
        {
            output64[..64].Clear();
            return;
        }

        var (x, y) = ToAffine();
        x.Write(output64[..32]);
        y.Write(output64.Slice(32, 32));
    }

    public (Bn254Fp X, Bn254Fp Y) ToAffine()
    {
        var zInverse = Z.Inverse();
        var zInverse2 = zInverse.Square();
        return (X * zInverse2, Y * zInverse2 * zInverse);
    }

    public Bn254G1 Double()
    {
        // dbl-2009-l (a = 0)
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
        return new Bn254G1(x3, y3, z3);
    }

    public Bn254G1 Add(in Bn254G1 other)
    {
        // add-2007-bl, with the doubling and inverse cases the formula cannot handle.
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
        return new Bn254G1(x3, y3, z3);
    }

    /// <summary>Multiplies by a 256-bit big-endian scalar (the full scalar, not reduced mod r).</summary>
    public Bn254G1 Multiply(ReadOnlySpan<byte> scalarBigEndian32)
    {
        var result = Infinity;
        for (var i = 0; i < scalarBigEndian32.Length; i++)
        {
            var b = scalarBigEndian32[i];
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
