namespace Trellis.Evm.Precompiles;

/// <summary>An element C0 + C1·v + C2·v^2 of F_p6 = F_p2[v] / (v^3 - ξ).</summary>
internal readonly struct Bn254Fp6 : IEquatable<Bn254Fp6>
{
    internal readonly Bn254Fp2 C0;
    internal readonly Bn254Fp2 C1;
    internal readonly Bn254Fp2 C2;

    internal Bn254Fp6(Bn254Fp2 c0, Bn254Fp2 c1, Bn254Fp2 c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    public static Bn254Fp6 Zero => default;

    public static Bn254Fp6 One => new(Bn254Fp2.One, Bn254Fp2.Zero, Bn254Fp2.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Bn254Fp6 operator +(in Bn254Fp6 x, in Bn254Fp6 y) => new(x.C0 + y.C0, x.C1 + y.C1, x.C2 + y.C2);

    public static Bn254Fp6 operator -(in Bn254Fp6 x, in Bn254Fp6 y) => new(x.C0 - y.C0, x.C1 - y.C1, x.C2 - y.C2);

    public static Bn254Fp6 operator -(in Bn254Fp6 x) => new(-x.C0, -x.C1, -x.C2);

    public static Bn254Fp6 operator *(in Bn254Fp6 x, in Bn254Fp6 y)
    {
        // Karatsuba over the three coefficients, reducing v^3 = ξ.
        var t0 = x.C0 * y.C0;
        var t1 = x.C1 * y.C1;
        var t2 = x.C2 * y.C2;
        var c0 = ((((x.C1 + x.C2) * (y.C1 + y.C2)) - t1 - t2).MultiplyByXi()) + t0;
        var c1 = ((x.C0 + x.C1) * (y.C0 + y.C1)) - t0 - t1 + t2.MultiplyByXi();
        var c2 = ((x.C0 + x.C2) * (y.C0 + y.C2)) - t0 - t2 + t1;
        return new Bn254Fp6(c0, c1, c2);
    }

    public static Bn254Fp6 operator *(in Bn254Fp6 x, in Bn254Fp2 y) => new(x.C0 * y, x.C1 * y, x.C2 * y);

    public static bool operator ==(in Bn254Fp6 x, in Bn254Fp6 y) => x.Equals(y);

    public static bool operator !=(in Bn254Fp6 x, in Bn254Fp6 y) => !x.Equals(y);

    public Bn254Fp6 Square() => this * this;

    /// <summary>Multiplies by v: (c0 + c1 v + c2 v^2)·v = ξ c2 + c0 v + c1 v^2.</summary>
    public Bn254Fp6 MultiplyByV() => new(C2.MultiplyByXi(), C0, C1);

    /// <summary>Multiplies by the sparse element b0 + b1·v (the shape line functions take in F_p6).</summary>
    public Bn254Fp6 MultiplyBy01(Bn254Fp2 b0, Bn254Fp2 b1)
    {
        var t0 = C0 * b0;
        var t1 = C1 * b1;
        var c0 = (((C1 + C2) * b1) - t1).MultiplyByXi() + t0;
        var c1 = ((C0 + C1) * (b0 + b1)) - t0 - t1;
        var c2 = ((C0 + C2) * b0) - t0 + t1;
        return new Bn254Fp6(c0, c1, c2);
    }

    public Bn254Fp6 Inverse()
    {
        var a = C0.Square() - (C1 * C2).MultiplyByXi();
        var b = C2.Square().MultiplyByXi() - (C0 * C1);
        var c = C1.Square() - (C0 * C2);
        var norm = (C0 * a) + ((C2 * b) + (C1 * c)).MultiplyByXi();
        var inverseNorm = norm.Inverse();
        return new Bn254Fp6(a * inverseNorm, b * inverseNorm, c * inverseNorm);
    }

    public bool Equals(Bn254Fp6 other) => C0 == other.C0 && C1 == other.C1 && C2 == other.C2;

    public override bool Equals(object? obj) => obj is Bn254Fp6 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
}
