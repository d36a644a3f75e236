namespace Trellis.Crypto.National.Curve;

/// <summary>
/// Scalar multiplication on the SM2 curve: k*G from a fixed-base window table, and s*G + t*P for verification by
/// Strauss–Shamir interleaving of two width-w NAF expansions (one shared run of doublings, a wide window for the
/// precomputed G table, a narrow one for the per-call P table).
/// </summary>
internal static class Sm2Multiplier
{
    /// <summary>wNAF width for G in verification: odd multiples 1G..511G (32 KiB) are precomputed once.</summary>
    private const int GeneratorWindow = 10;

    /// <summary>wNAF width for the public key in verification: odd multiples 1P..15P are built per call.</summary>
    private const int PointWindow = 5;

    /// <summary>Maximum wNAF length for a 256-bit scalar (one extra digit for the final carry).</summary>
    private const int WnafLength = 258;

    // Odd multiples (2i + 1) G, affine, for the interleaved verification loop.
    private static readonly Sm2AffinePoint[] GeneratorOddMultiples = BuildGeneratorOddMultiples();

    // Fixed-base table: entry [16 * window + digit] = digit * 16^window * G for digit 1..15 (entry 0 unused),
    // so k*G is a sum of 64 table entries and needs no doublings.
    private static readonly Sm2AffinePoint[] BaseWindowTable = BuildBaseWindowTable();

    /// <summary>Returns k*G (k below n); infinity for k = 0.</summary>
    public static Sm2Point MultiplyBase(in Sm2Scalar k)
    {
        var table = BaseWindowTable;
        var result = Sm2Point.Infinity;
        for (var window = 0; window < 64; window++)
        {
            var limb = (window >> 4) switch { 0 => k.L0, 1 => k.L1, 2 => k.L2, _ => k.L3 };
            var digit = (int)((limb >> ((window & 15) * 4)) & 15);
            if (digit == 0)
            {
                continue;
            }

            // Read every entry of the window and keep the wanted one by masking, so the memory access pattern
            // does not reveal the secret digit.
            var entry = SelectEntry(table, window * 16, digit);
            result = Sm2Point.AddMixed(result, entry);
        }

        return result;
    }

    /// <summary>Returns s*G + t*P (s, t below n; P a valid curve point).</summary>
    public static Sm2Point MultiplyBaseAndAdd(in Sm2Scalar s, in Sm2Scalar t, in Sm2AffinePoint p)
    {
        Span<short> wnafS = stackalloc short[WnafLength];
        Span<short> wnafT = stackalloc short[WnafLength];
        var topS = ComputeWnaf(s, GeneratorWindow, wnafS);
        var topT = ComputeWnaf(t, PointWindow, wnafT);

        // Odd multiples P, 3P, ..., 15P.
        Span<Sm2Point> pointTable = stackalloc Sm2Point[1 << (PointWindow - 2)];
        var p1 = Sm2Point.FromAffine(p);
        var p2 = Sm2Point.Double(p1);
        pointTable[0] = p1;
        for (var i = 1; i < pointTable.Length; i++)
        {
            pointTable[i] = Sm2Point.Add(pointTable[i - 1], p2);
        }

        var gTable = GeneratorOddMultiples;
        var result = Sm2Point.Infinity;
        for (var i = Math.Max(topS, topT) - 1; i >= 0; i--)
        {
            if (!result.IsInfinity)
            {
                result = Sm2Point.Double(result);
            }

            int ds = wnafS[i];
            if (ds > 0)
            {
                result = Sm2Point.AddMixed(result, gTable[ds >> 1]);
            }
            else if (ds < 0)
            {
                result = Sm2Point.AddMixed(result, gTable[-ds >> 1].Negate());
            }

            int dt = wnafT[i];
            if (dt > 0)
            {
                result = Sm2Point.Add(result, pointTable[dt >> 1]);
            }
            else if (dt < 0)
            {
                result = Sm2Point.Add(result, pointTable[-dt >> 1].Negate());
            }
        }

        return result;
    }

    /// <summary>
    /// Writes the width-w NAF of <paramref name="k"/> (odd digits in (-2^(w-1), 2^(w-1)), zeros between) into
    /// <paramref name="digits"/> and returns one past the index of the highest non-zero digit.
    /// </summary>
    internal static int ComputeWnaf(in Sm2Scalar k, int w, Span<short> digits)
    {
        digits.Clear();
        var carry = 0;
        var bit = 0;
        var top = 0;
        while (bit < WnafLength)
        {
            if (k.Bit(bit) == carry)
            {
                bit++;
                continue;
            }

            var word = GetBits(k, bit, w) + carry;
            carry = (word >> (w - 1)) & 1;
            word -= carry << w;
            digits[bit] = (short)word;
            top = bit + 1;
            bit += w;
        }

        return top;
    }

    private static int GetBits(in Sm2Scalar k, int start, int count)
    {
        var value = 0;
        for (var i = count - 1; i >= 0; i--)
        {
            value = (value << 1) | k.Bit(start + i);
        }

        return value;
    }

    private static Sm2AffinePoint SelectEntry(Sm2AffinePoint[] table, int offset, int digit)
    {
        ulong x0 = 0, x1 = 0, x2 = 0, x3 = 0, y0 = 0, y1 = 0, y2 = 0, y3 = 0;
        for (var j = 1; j < 16; j++)
        {
            // mask is all ones when j == digit, without a data-dependent branch.
            var mask = 0UL - (ulong)(((uint)(j ^ digit) - 1) >> 31);
            ref readonly var e = ref table[offset + j];
            x0 |= e.X.L0 & mask;
            x1 |= e.X.L1 & mask;
            x2 |= e.X.L2 & mask;
            x3 |= e.X.L3 & mask;
            y0 |= e.Y.L0 & mask;
            y1 |= e.Y.L1 & mask;
            y2 |= e.Y.L2 & mask;
            y3 |= e.Y.L3 & mask;
        }

        return new Sm2AffinePoint(new Sm2Field(x0, x1, x2, x3), new Sm2Field(y0, y1, y2, y3));
    }

    private static Sm2AffinePoint[] BuildGeneratorOddMultiples()
    {
        var count = 1 << (GeneratorWindow - 2);
        var jacobian = new Sm2Point[count];
        var g = Sm2Point.FromAffine(Sm2Point.Generator);
        var g2 = Sm2Point.Double(g);
        jacobian[0] = g;
        for (var i = 1; i < count; i++)
        {
            jacobian[i] = Sm2Point.Add(jacobian[i - 1], g2);
        }

        return ToAffineBatch(jacobian);
    }

    private static Sm2AffinePoint[] BuildBaseWindowTable()
    {
        var jacobian = new Sm2Point[64 * 16];
        var windowBase = Sm2Point.FromAffine(Sm2Point.Generator);
        for (var window = 0; window < 64; window++)
        {
            jacobian[window * 16 + 1] = windowBase;
            for (var digit = 2; digit < 16; digit++)
            {
                jacobian[window * 16 + digit] = Sm2Point.Add(jacobian[window * 16 + digit - 1], windowBase);
            }

            windowBase = Sm2Point.Double(Sm2Point.Double(Sm2Point.Double(Sm2Point.Double(windowBase))));
        }

        // Entry 0 of each window is never read as a result (digit 0 is skipped); give it G so that every entry is
        // a finite point and the batch conversion needs no special case.
        for (var window = 0; window < 64; window++)
        {
            jacobian[window * 16] = Sm2Point.FromAffine(Sm2Point.Generator);
        }

        return ToAffineBatch(jacobian);
    }

    /// <summary>Converts finite Jacobian points to affine with one inversion (Montgomery's simultaneous inversion).</summary>
    private static Sm2AffinePoint[] ToAffineBatch(Sm2Point[] points)
    {
        var prefix = new Sm2Field[points.Length];
        var acc = Sm2Field.One;
        for (var i = 0; i < points.Length; i++)
        {
            prefix[i] = acc;
            acc = Sm2Field.Multiply(acc, points[i].Z);
        }

        var inv = Sm2Field.Invert(acc);
        var result = new Sm2AffinePoint[points.Length];
        for (var i = points.Length - 1; i >= 0; i--)
        {
            var zInv = Sm2Field.Multiply(inv, prefix[i]);
            inv = Sm2Field.Multiply(inv, points[i].Z);
            var zInv2 = Sm2Field.Square(zInv);
            result[i] = new Sm2AffinePoint(
                Sm2Field.Multiply(points[i].X, zInv2),
                Sm2Field.Multiply(points[i].Y, Sm2Field.Multiply(zInv2, zInv)));
        }

        return result;
    }
}
