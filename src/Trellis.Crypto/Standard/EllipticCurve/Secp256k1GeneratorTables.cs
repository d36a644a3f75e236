namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// Precomputed affine multiples of the generator, built once on first use (a few milliseconds):
/// odd multiples of G and of 2^128 G for the variable-time double-scalar multiplication, and a 4-bit comb
/// (j * 16^i * G) for the constant-time fixed-base multiplication used with private keys.
/// </summary>
internal sealed class Secp256k1GeneratorTables
{
    /// <summary>wNAF window width for the two generator scalars (each table holds 2^(w-2) odd multiples).</summary>
    public const int GeneratorWindow = 14;

    public const int CombWindows = 64;

    public const int CombEntriesPerWindow = 16;

    private static readonly Lazy<Secp256k1GeneratorTables> _instance = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    private Secp256k1GeneratorTables(Secp256k1AffinePoint[] oddMultiplesOfG, Secp256k1AffinePoint[] oddMultiplesOfG128, Secp256k1AffinePoint[] comb)
    {
        OddMultiplesOfG = oddMultiplesOfG;
        OddMultiplesOfG128 = oddMultiplesOfG128;
        Comb = comb;
    }

    public static Secp256k1GeneratorTables Instance => _instance.Value;

    /// <summary>(2i + 1) G for i in [0, 2^(w-2)).</summary>
    public Secp256k1AffinePoint[] OddMultiplesOfG { get; }

    /// <summary>(2i + 1) 2^128 G for i in [0, 2^(w-2)).</summary>
    public Secp256k1AffinePoint[] OddMultiplesOfG128 { get; }

    /// <summary>Entry [16 i + j] = j * 16^i * G for j in [1, 16); entries with j = 0 are unused.</summary>
    public Secp256k1AffinePoint[] Comb { get; }

    private static Secp256k1GeneratorTables Build()
    {
        var g = Secp256k1AffinePoint.Generator;
        var g128 = Secp256k1JacobianPoint.FromAffine(g.X, g.Y);
        for (int i = 0; i < 128; i++)
        {
            g128.Double();
        }

        var comb = new Secp256k1AffinePoint[CombWindows * CombEntriesPerWindow];
        var window = new Secp256k1JacobianPoint[CombEntriesPerWindow];
        var windowAffine = new Secp256k1AffinePoint[CombEntriesPerWindow];
        var windowBase = g;
        for (int i = 0; i < CombWindows; i++)
        {
            // window[j] = j * base for j in [1, 16]; entry 16 is the next window's base.
            var multiple = Secp256k1JacobianPoint.FromAffine(windowBase.X, windowBase.Y);
            window[0] = multiple;
            for (int j = 1; j < CombEntriesPerWindow; j++)
            {
                multiple.AddAffine(windowBase.X, windowBase.Y);
                window[j] = multiple;
            }

            NormalizeBatch(window, windowAffine);
            windowAffine.AsSpan(0, CombEntriesPerWindow - 1).CopyTo(comb.AsSpan((i * CombEntriesPerWindow) + 1));
            windowBase = windowAffine[CombEntriesPerWindow - 1];
        }

        return new Secp256k1GeneratorTables(OddMultiples(g), OddMultiples(ToAffine(g128)), comb);
    }

    private static Secp256k1AffinePoint ToAffine(in Secp256k1JacobianPoint point)
    {
        var result = new Secp256k1AffinePoint[1];
        NormalizeBatch([point], result);
        return result[0];
    }

    private static Secp256k1AffinePoint[] OddMultiples(in Secp256k1AffinePoint point)
    {
        var twice = Secp256k1JacobianPoint.FromAffine(point.X, point.Y);
        twice.Double();
        var twiceAffine = ToAffine(twice);

        var jacobian = new Secp256k1JacobianPoint[1 << (GeneratorWindow - 2)];
        var current = Secp256k1JacobianPoint.FromAffine(point.X, point.Y);
        jacobian[0] = current;
        for (int i = 1; i < jacobian.Length; i++)
        {
            current.AddAffine(twiceAffine.X, twiceAffine.Y);
            jacobian[i] = current;
        }

        var table = new Secp256k1AffinePoint[jacobian.Length];
        NormalizeBatch(jacobian, table);
        return table;
    }

    /// <summary>Converts finite Jacobian points to affine with a single inversion (Montgomery's simultaneous-inversion trick).</summary>
    private static void NormalizeBatch(ReadOnlySpan<Secp256k1JacobianPoint> points, Span<Secp256k1AffinePoint> result)
    {
        var prefix = new Secp256k1Field[points.Length];
        var product = Secp256k1Field.One;
        for (int i = 0; i < points.Length; i++)
        {
            prefix[i] = product;
            product = Secp256k1Field.Multiply(product, points[i].Z);
        }

        // inverse = 1 / (Z_0 ... Z_i) while walking down; 1 / Z_i = inverse * (Z_0 ... Z_(i-1)).
        var inverse = Secp256k1Field.InvertVariableTime(product);
        for (int i = points.Length - 1; i >= 0; i--)
        {
            var zInverse = Secp256k1Field.Multiply(inverse, prefix[i]);
            inverse = Secp256k1Field.Multiply(inverse, points[i].Z);
            var zInverse2 = Secp256k1Field.Square(zInverse);
            result[i] = new Secp256k1AffinePoint(
                Secp256k1Field.Multiply(points[i].X, zInverse2),
                Secp256k1Field.Multiply(points[i].Y, Secp256k1Field.Multiply(zInverse2, zInverse)));
        }
    }
}
