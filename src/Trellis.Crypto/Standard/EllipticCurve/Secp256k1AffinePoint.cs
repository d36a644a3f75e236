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

    /// <summary>
    /// Adds two finite points with one inversion (variable time; used only to build the public precomputed tables).
    /// </summary>
    /// <exception cref="InvalidOperationException">The sum is the point at infinity.</exception>
    public static Secp256k1AffinePoint Add(in Secp256k1AffinePoint a, in Secp256k1AffinePoint b)
    {
        Secp256k1Field slope;
        if (Secp256k1Field.AreEqual(a.X, b.X))
        {
            if (!Secp256k1Field.AreEqual(a.Y, b.Y))
            {
                throw new InvalidOperationException("sum of a point and its negation is the point at infinity");
            }

            // Tangent slope 3x^2 / 2y (curve coefficient a = 0).
            var x2 = Secp256k1Field.Square(a.X);
            var numerator = Secp256k1Field.Add(Secp256k1Field.Double(x2), x2);
            slope = Secp256k1Field.Multiply(numerator, Secp256k1Field.InvertVariableTime(Secp256k1Field.Double(a.Y)));
        }
        else
        {
            var dy = Secp256k1Field.Subtract(b.Y, a.Y);
            var dx = Secp256k1Field.Subtract(b.X, a.X);
            slope = Secp256k1Field.Multiply(dy, Secp256k1Field.InvertVariableTime(dx));
        }

        var x3 = Secp256k1Field.Subtract(Secp256k1Field.Subtract(Secp256k1Field.Square(slope), a.X), b.X);
        var y3 = Secp256k1Field.Subtract(Secp256k1Field.Multiply(slope, Secp256k1Field.Subtract(a.X, x3)), a.Y);
        return new Secp256k1AffinePoint(x3, y3);
    }
}
