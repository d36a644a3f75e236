namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// Precomputed affine multiples of the generator, built once on first use (a few milliseconds):
/// odd multiples of G and of 2^128 G for the variable-time double-scalar multiplication, and a 4-bit comb
/// (j * 16^i * G) for the constant-time fixed-base multiplication used with private keys.
/// </summary>
internal sealed class Secp256k1GeneratorTables
{
    /// <summary>wNAF window width for the two generator scalars (each table holds 2^(w-2) odd multiples).</summary>
    public const int GeneratorWindow = 12;

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
        var g128 = g;
        for (int i = 0; i < 128; i++)
        {
            g128 = Secp256k1AffinePoint.Add(g128, g128);
        }

        var comb = new Secp256k1AffinePoint[CombWindows * CombEntriesPerWindow];
        var windowBase = g;
        for (int i = 0; i < CombWindows; i++)
        {
            var multiple = windowBase;
            comb[(i * CombEntriesPerWindow) + 1] = multiple;
            for (int j = 2; j < CombEntriesPerWindow; j++)
            {
                multiple = Secp256k1AffinePoint.Add(multiple, windowBase);
                comb[(i * CombEntriesPerWindow) + j] = multiple;
            }

            if (i + 1 < CombWindows)
            {
                windowBase = Secp256k1AffinePoint.Add(multiple, windowBase);
            }
        }

        return new Secp256k1GeneratorTables(OddMultiples(g), OddMultiples(g128), comb);
    }

    private static Secp256k1AffinePoint[] OddMultiples(in Secp256k1AffinePoint point)
    {
        var table = new Secp256k1AffinePoint[1 << (GeneratorWindow - 2)];
        var twice = Secp256k1AffinePoint.Add(point, point);
        table[0] = point;
        for (int i = 1; i < table.Length; i++)
        {
            table[i] = Secp256k1AffinePoint.Add(table[i - 1], twice);
        }

        return table;
    }
}
