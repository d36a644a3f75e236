namespace Trellis.Evm.Precompiles;

/// <summary>
/// An element A + B·i of F_p2 = F_p[i] / (i^2 + 1), the field of the bn254 G2 twist coordinates.
/// </summary>
internal readonly struct Bn254Fp2 : IEquatable<Bn254Fp2>
{
    internal readonly Bn254Fp A;
    internal readonly Bn254Fp B;

    internal Bn254Fp2(Bn254Fp a, Bn254Fp b)
    {
        A = a;
        B = b;
    }

    public static Bn254Fp2 Zero => default;

    public static Bn254Fp2 One => new(Bn254Fp.One, Bn254Fp.Zero);

    /// <summary>ξ = 9 + i, the non-residue that defines F_p6 (v^3 = ξ) and the sextic twist.</summary>
    public static readonly Bn254Fp2 Xi = new(Bn254Fp.FromUInt64(9), Bn254Fp.One);

    public bool IsZero => A.IsZero && B.IsZero;

    public static Bn254Fp2 operator +(in Bn254Fp2 x, in Bn254Fp2 y) => new(x.A + y.A, x.B + y.B);

    public static Bn254Fp2 operator -(in Bn254Fp2 x, in Bn254Fp2 y) => new(x.A - y.A, x.B - y.B);

    public static Bn254Fp2 operator -(in Bn254Fp2 x) => new(-x.A, -x.B);

    public static Bn254Fp2 operator *(in Bn254Fp2 x, in Bn254Fp2 y)
    {
        // Karatsuba: three base-field multiplications.
        var aa = x.A * y.A;
        var bb = x.B * y.B;
        var cross = ((x.A + x.B) * (y.A + y.B)) - aa - bb;
        return new Bn254Fp2(aa - bb, cross);
    }

    public static Bn254Fp2 operator *(in Bn254Fp2 x, in Bn254Fp y) => new(x.A * y, x.B * y);

    public static bool operator ==(in Bn254Fp2 x, in Bn254Fp2 y) => x.Equals(y);

    public static bool operator !=(in Bn254Fp2 x, in Bn254Fp2 y) => !x.Equals(y);

    public Bn254Fp2 Square()
    {
        // (a + bi)^2 = (a + b)(a - b) + 2ab·i
        var ab = A * B;
        return new Bn254Fp2((A + B) * (A - B), ab + ab);
    }

    public Bn254Fp2 Double() => new(A.Double(), B.Double());

    /// <summary>Multiplies by ξ = 9 + i: (a + bi)(9 + i) = (9a - b) + (a + 9b)i.</summary>
    public Bn254Fp2 MultiplyByXi()
    {
        var a8 = A.Double().Double().Double();
        var b8 = B.Double().Double().Double();
        return new Bn254Fp2(a8 + A - B, b8 + B + A);
    }

    /// <summary>The conjugate a - bi, which is also the Frobenius map x ↦ x^p on F_p2.</summary>
    public Bn254Fp2 Conjugate() => new(A, -B);

    public Bn254Fp2 Inverse()
    {
        // 1 / (a + bi) = (a - bi) / (a^2 + b^2)
        var inverseNorm = ((A * A) + (B * B)).Inverse();
        return new Bn254Fp2(A * inverseNorm, -(B * inverseNorm));
    }

    public bool Equals(Bn254Fp2 other) => A == other.A && B == other.B;

    public override bool Equals(object? obj) => obj is Bn254Fp2 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(A, B);

    public override string ToString() => $"({A} + {B}·i)";
}
