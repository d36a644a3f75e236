namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>A finite point (x, y) of secp256k1 in affine coordinates.</summary>
internal readonly struct Secp256k1AffinePoint
{
    public readonly Secp256k1Field X;
    public readonly Secp256k1Field Y;

    public Secp256k1AffinePoint(in Secp256k1Field x, in Secp256k1Field y)
    {
        X = x;
        Y = y;
    }

    /// <summary>The standard generator G.</summary>
    public static Secp256k1AffinePoint Generator => new(
        new Secp256k1Field(0x59F2815B16F81798UL, 0x029BFCDB2DCE28D9UL, 0x55A06295CE870B07UL, 0x79BE667EF9DCBBACUL),
        new Secp256k1Field(0x9C47D08FFB10D4B8UL, 0xFD17B448A6855419UL, 0x5DA4FBFC0E1108A8UL, 0x483ADA7726A3C465UL));

    /// <summary>x^3 + 7, the square of y for a point on the curve with abscissa x.</summary>
    public static Secp256k1Field CurveRightSide(in Secp256k1Field x) =>
        Secp256k1Field.Add(Secp256k1Field.Multiply(Secp256k1Field.Square(x), x), Secp256k1Field.Seven);

    public bool IsOnCurve => Secp256k1Field.AreEqual(Secp256k1Field.Square(Y), CurveRightSide(X));

    public Secp256k1AffinePoint Negate() => new(X, Secp256k1Field.Negate(Y));
}
