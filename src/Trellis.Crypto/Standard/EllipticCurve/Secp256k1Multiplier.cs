using System.Runtime.CompilerServices;

namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// Scalar multiplication on secp256k1: a variable-time u1 G + u2 P for verification and recovery (Strauss–Shamir
/// interleaving of four wNAF expansions, using the GLV endomorphism for P and a 2^128 split for G), and a
/// constant-time fixed-base comb k G for private keys.
/// </summary>
internal static class Secp256k1Multiplier
{
    /// <summary>wNAF window for the two halves of u2 (tables of 2^(w-2) = 8 odd multiples of P and lambda P).</summary>
    private const int PointWindow = 5;

    private const int PointTableSize = 1 << (PointWindow - 2);

    /// <summary>A wNAF of a value below 2^128 has at most 129 digits.</summary>
    private const int MaxWnafLength = 130;

    /// <summary>
    /// Computes u1 G + u2 P for a finite point P (public data; variable time). The result is in Jacobian coordinates of
    /// the original curve, or the point at infinity.
    /// </summary>
    public static Secp256k1JacobianPoint MultiplyAddVariableTime(in Secp256k1Scalar u1, in Secp256k1AffinePoint point, in Secp256k1Scalar u2)
    {
        var tables = Secp256k1GeneratorTables.Instance;

        Secp256k1Scalar.SplitLambda(u2, out var k1, out bool k1Negative, out var k2, out bool k2Negative);
        u1.SplitAt128(out var g1, out var g2);

        Span<int> wnaf1 = stackalloc int[MaxWnafLength];
        Span<int> wnaf2 = stackalloc int[MaxWnafLength];
        Span<int> wnaf3 = stackalloc int[MaxWnafLength];
        Span<int> wnaf4 = stackalloc int[MaxWnafLength];
        int length1 = ComputeWnaf(wnaf1, k1, PointWindow);
        int length2 = ComputeWnaf(wnaf2, k2, PointWindow);
        int length3 = ComputeWnaf(wnaf3, g1, Secp256k1GeneratorTables.GeneratorWindow);
        int length4 = ComputeWnaf(wnaf4, g2, Secp256k1GeneratorTables.GeneratorWindow);
        int length = Math.Max(Math.Max(length1, length2), Math.Max(length3, length4));

        Span<Secp256k1Field> tableX = stackalloc Secp256k1Field[PointTableSize];
        Span<Secp256k1Field> tableY = stackalloc Secp256k1Field[PointTableSize];
        Span<Secp256k1Field> tableLambdaX = stackalloc Secp256k1Field[PointTableSize];
        var scale = BuildOddMultiples(point, tableX, tableY);
        var beta = Secp256k1Field.Beta;
        for (int i = 0; i < PointTableSize; i++)
        {
            tableLambdaX[i] = Secp256k1Field.Multiply(tableX[i], beta);
        }

        var generatorTable = tables.OddMultiplesOfG;
        var generator128Table = tables.OddMultiplesOfG128;
        var accumulator = Secp256k1JacobianPoint.Infinity;
        for (int i = length - 1; i >= 0; i--)
        {
            accumulator.Double();

            int digit = wnaf1[i];
            if (digit != 0)
            {
                int index = (Math.Abs(digit) - 1) >> 1;
                bool negate = (digit < 0) ^ k1Negative;
                accumulator.AddAffine(tableX[index], negate ? Secp256k1Field.Negate(tableY[index]) : tableY[index]);
            }

            digit = wnaf2[i];
            if (digit != 0)
            {
                int index = (Math.Abs(digit) - 1) >> 1;
                bool negate = (digit < 0) ^ k2Negative;
                accumulator.AddAffine(tableLambdaX[index], negate ? Secp256k1Field.Negate(tableY[index]) : tableY[index]);
            }

            digit = wnaf3[i];
            if (digit != 0)
            {
                ref readonly var entry = ref generatorTable[(Math.Abs(digit) - 1) >> 1];
                accumulator.AddAffineScaled(entry.X, digit < 0 ? Secp256k1Field.Negate(entry.Y) : entry.Y, scale);
            }

            digit = wnaf4[i];
            if (digit != 0)
            {
                ref readonly var entry = ref generator128Table[(Math.Abs(digit) - 1) >> 1];
                accumulator.AddAffineScaled(entry.X, digit < 0 ? Secp256k1Field.Negate(entry.Y) : entry.Y, scale);
            }
        }

        if (!accumulator.IsInfinity)
        {
            // Back from the isomorphic curve to the original one.
            accumulator.Z = Secp256k1Field.Multiply(accumulator.Z, scale);
        }

        return accumulator;
    }

    /// <summary>
    /// Fills the odd multiples P, 3P, ..., 15P as affine points of one isomorphic curve (all sharing one Jacobian Z,
    /// so each later addition is a cheap mixed addition) and returns the scale: a point (x, y, z) on that curve is
    /// (x, y, z * scale) on the original curve.
    /// </summary>
    private static Secp256k1Field BuildOddMultiples(in Secp256k1AffinePoint point, Span<Secp256k1Field> tableX, Span<Secp256k1Field> tableY)
    {
        // D = 2P in Jacobian coordinates; on the curve scaled by D's Z, D is affine (D.X, D.Y) and P becomes (x z^2, y z^3).
        var twice = Secp256k1JacobianPoint.FromAffine(point.X, point.Y);
        twice.Double();
        var dz = twice.Z;
        var dz2 = Secp256k1Field.Square(dz);
        var dz3 = Secp256k1Field.Multiply(dz2, dz);

        Span<Secp256k1Field> ratios = stackalloc Secp256k1Field[PointTableSize];
        var current = Secp256k1JacobianPoint.FromAffine(Secp256k1Field.Multiply(point.X, dz2), Secp256k1Field.Multiply(point.Y, dz3));
        tableX[0] = current.X;
        tableY[0] = current.Y;
        for (int i = 1; i < PointTableSize; i++)
        {
            // (2i - 1)P + 2P never hits the doubling or infinity case because n is a large prime.
            ratios[i] = current.AddAffine(twice.X, twice.Y);
            tableX[i] = current.X;
            tableY[i] = current.Y;
        }

        // Bring every entry to the last entry's Z: entry i needs the product of the later ratios.
        var factor = Secp256k1Field.One;
        for (int i = PointTableSize - 2; i >= 0; i--)
        {
            factor = Secp256k1Field.Multiply(factor, ratios[i + 1]);
            var factor2 = Secp256k1Field.Square(factor);
            tableX[i] = Secp256k1Field.Multiply(tableX[i], factor2);
            tableY[i] = Secp256k1Field.Multiply(tableY[i], Secp256k1Field.Multiply(factor2, factor));
        }

        return Secp256k1Field.Multiply(dz, current.Z);
    }

    /// <summary>
    /// Writes the width-w NAF of <paramref name="value"/> (digits odd, |digit| &lt; 2^(w-1), non-zero digits at least
    /// w apart) into <paramref name="wnaf"/>, least significant first; returns the number of digits used.
    /// </summary>
    private static int ComputeWnaf(Span<int> wnaf, UInt128 value, int window)
    {
        wnaf.Clear();
        int length = 0;
        int position = 0;
        ulong mask = (1UL << window) - 1;
        int half = 1 << (window - 1);
        while (value != UInt128.Zero)
        {
            ulong low = (ulong)value;
            if ((low & 1) == 0)
            {
                int zeros = low == 0 ? 64 : System.Numerics.BitOperations.TrailingZeroCount(low);
                value >>= zeros;
                position += zeros;
                continue;
            }

            int digit = (int)(low & mask);
            if (digit >= half)
            {
                // A negative digit borrows 2^w from the rest; adding one after the shift cannot overflow.
                digit -= 1 << window;
                value = (value >> window) + UInt128.One;
            }
            else
            {
                value >>= window;
            }

            wnaf[position] = digit;
            length = position + 1;
            position += window;
        }

        return length;
    }

    /// <summary>
    /// Computes k G for a secret k in constant time: a 4-bit comb of 64 table look-ups (each scanning all 15 entries
    /// of its window) and 64 masked mixed additions, with no doublings and no branch on k. Returns the point at
    /// infinity for k = 0.
    /// </summary>
    public static Secp256k1JacobianPoint MultiplyGenerator(in Secp256k1Scalar k)
    {
        var comb = Secp256k1GeneratorTables.Instance.Comb;
        var accumulator = new Secp256k1JacobianPoint { X = Secp256k1Field.Zero, Y = Secp256k1Field.One, Z = Secp256k1Field.One };
        ulong infinityMask = ulong.MaxValue;
        ReadOnlySpan<ulong> limbs = [k.L0, k.L1, k.L2, k.L3];
        for (int window = 0; window < Secp256k1GeneratorTables.CombWindows; window++)
        {
            uint nibble = (uint)(limbs[window >> 4] >> ((window & 15) * 4)) & 15;
            SelectCombEntry(comb, window, nibble, out var x, out var y);

            // All ones when the nibble is non-zero (a zero nibble adds the point at infinity, i.e. nothing).
            ulong addMask = 0UL - (ulong)((0L - nibble) >>> 63);

            // Partial sums are (k mod 16^i) G and the added point is j 16^i G with j 16^i > k mod 16^i, both below n,
            // so the two are never equal or opposite: the plain mixed-addition formula is always valid.
            accumulator.AddAffineMasked(x, y, addMask, ref infinityMask);
        }

        accumulator.IsInfinity = infinityMask != 0;
        return accumulator;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SelectCombEntry(Secp256k1AffinePoint[] comb, int window, uint nibble, out Secp256k1Field x, out Secp256k1Field y)
    {
        x = Secp256k1Field.Zero;
        y = Secp256k1Field.Zero;
        int offset = window * Secp256k1GeneratorTables.CombEntriesPerWindow;
        for (uint j = 1; j < Secp256k1GeneratorTables.CombEntriesPerWindow; j++)
        {
            // All ones exactly when j == nibble, computed without a branch.
            ulong mask = 0UL - (((ulong)(j ^ nibble) - 1) >> 63);
            ref readonly var entry = ref comb[offset + (int)j];
            x = Secp256k1Field.Select(mask, entry.X, x);
            y = Secp256k1Field.Select(mask, entry.Y, y);
        }
    }
}
