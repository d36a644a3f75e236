using System.Runtime.CompilerServices;

namespace Trellis.Crypto.National.Curve;

/// <summary>A finite point of the SM2 curve in affine coordinates.</summary>
internal readonly struct Sm2AffinePoint
{
    public readonly Sm2Field X;
    public readonly Sm2Field Y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Sm2AffinePoint(Sm2Field x, Sm2Field y)
    {
        X = x;
        Y = y;
    }

    /// <summary>Returns the point with its y negated.</summary>
    public Sm2AffinePoint Negate() => new(X, Sm2Field.Negate(Y));

    /// <summary>Reads x || y (64 bytes, big-endian); false if a coordinate is not below p or the point is off the curve.</summary>
    public static bool TryRead(ReadOnlySpan<byte> xy64, out Sm2AffinePoint point)
    {
        point = default;
        if (xy64.Length != 64
            || !Sm2Field.TryRead(xy64[..32], out var x)
            || !Sm2Field.TryRead(xy64[32..], out var y))
        {
            return false;
        }

        var candidate = new Sm2AffinePoint(x, y);
        if (!candidate.IsOnCurve())
        {
            return false;
        }

        point = candidate;
        return true;
    }

    /// <summary>Writes x || y as 64 big-endian bytes.</summary>
    public void Write(Span<byte> xy64)
    {
        X.Write(xy64[..32]);
        Y.Write(xy64.Slice(32, 32));
    }

    /// <summary>True if y^2 = x^3 + a x + b with a = -3.</summary>
    public bool IsOnCurve()
    {
        var y2 = Sm2Field.Square(Y);
        var x3 = Sm2Field.Multiply(Sm2Field.Square(X), X);
        var threeX = Sm2Field.Add(Sm2Field.Double(X), X);
        var rhs = Sm2Field.Add(Sm2Field.Subtract(x3, threeX), Sm2Point.CurveB);
        return Sm2Field.Equal(y2, rhs);
    }
}
