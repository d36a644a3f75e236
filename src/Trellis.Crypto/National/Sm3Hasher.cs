using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Trellis.Crypto.National;

/// <summary>
/// Incremental SM3 (GB/T 32905-2016): feed data with <see cref="Update"/>, read the digest with
/// <see cref="Finish"/>, then <see cref="Reset"/> to reuse the instance. Not thread-safe.
/// </summary>
public sealed class Sm3Hasher
{
    private readonly uint[] _state = new uint[8];
    private readonly byte[] _buffer = new byte[Sm3.BlockLength];
    private int _buffered;
    private ulong _totalLength;

    /// <summary>Creates a hasher ready for data.</summary>
    public Sm3Hasher() => Reset();

    /// <summary>Absorbs <paramref name="data"/>.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        _totalLength += (ulong)data.Length;
        if (_buffered > 0)
        {
            var take = Math.Min(Sm3.BlockLength - _buffered, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
            if (_buffered < Sm3.BlockLength)
            {
                return;
            }

            Compress(_state, _buffer);
            _buffered = 0;
        }

        var wholeLength = data.Length & ~(Sm3.BlockLength - 1);
        if (wholeLength > 0)
        {
            Compress(_state, data[..wholeLength]);
        }

        data[wholeLength..].CopyTo(_buffer);
        _buffered = data.Length - wholeLength;
    }

    /// <summary>
    /// Writes the digest of everything absorbed since the last reset into <paramref name="output32"/> and resets
    /// the hasher.
    /// </summary>
    public void Finish(Span<byte> output32)
    {
        if (output32.Length < Sm3.HashLength)
        {
            throw new ArgumentException($"SM3 output buffer has {output32.Length} bytes; it needs at least {Sm3.HashLength}", nameof(output32));
        }

        Span<byte> last = stackalloc byte[2 * Sm3.BlockLength];
        last.Clear();
        _buffer.AsSpan(0, _buffered).CopyTo(last);
        last[_buffered] = 0x80;
        var finalLength = _buffered < Sm3.BlockLength - 8 ? Sm3.BlockLength : 2 * Sm3.BlockLength;
        BinaryPrimitives.WriteUInt64BigEndian(last.Slice(finalLength - 8), _totalLength * 8);
        Compress(_state, last[..finalLength]);
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(output32.Slice(i * 4), _state[i]);
        }

        Reset();
    }

    /// <summary>Forgets all absorbed data.</summary>
    public void Reset()
    {
        InitializeState(_state);
        _buffered = 0;
        _totalLength = 0;
    }

    internal static void InitializeState(Span<uint> state)
    {
        state[0] = 0x7380166f;
        state[1] = 0x4914b2b9;
        state[2] = 0x172442d7;
        state[3] = 0xda8a0600;
        state[4] = 0xa96f30bc;
        state[5] = 0x163138aa;
        state[6] = 0xe38dee4d;
        state[7] = 0xb0fb0e4e;
    }

    /// <summary>Runs the compression function over whole 64-byte blocks.</summary>
    /// <remarks>
    /// The 64 rounds are unrolled with the rotated constants T_j &lt;&lt;&lt; (j mod 32) as immediates, and each
    /// expanded word W_(j+4) is computed just before round j needs it. Words are read and written through refs
    /// (the loop condition guarantees a whole block), so the rounds carry no bounds checks.
    /// </remarks>
    internal static void Compress(Span<uint> state, ReadOnlySpan<byte> blocks)
    {
        _ = state[7];
        Span<uint> words = stackalloc uint[68];
        ref var w = ref MemoryMarshal.GetReference(words);
        var a = state[0];
        var b = state[1];
        var c = state[2];
        var d = state[3];
        var e = state[4];
        var f = state[5];
        var g = state[6];
        var h = state[7];

        while (blocks.Length >= Sm3.BlockLength)
        {
            ref var input = ref MemoryMarshal.GetReference(blocks);
            for (var j = 0; j < 16; j++)
            {
                Unsafe.Add(ref w, j) = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref input, j * 4)));
            }

            uint aa = a, bb = b, cc = c, dd = d, ee = e, ff = f, gg = g, hh = h;

            // Each round writes the new A into D's slot and the new E into H's slot, and rotates B and F in place,
            // so passing the variables in a rotating order replaces the eight-way shuffle of the standard.
            RoundLow(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x79CC4519u, Unsafe.Add(ref w, 0), Unsafe.Add(ref w, 0) ^ Unsafe.Add(ref w, 4));
            RoundLow(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0xF3988A32u, Unsafe.Add(ref w, 1), Unsafe.Add(ref w, 1) ^ Unsafe.Add(ref w, 5));
            RoundLow(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0xE7311465u, Unsafe.Add(ref w, 2), Unsafe.Add(ref w, 2) ^ Unsafe.Add(ref w, 6));
            RoundLow(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xCE6228CBu, Unsafe.Add(ref w, 3), Unsafe.Add(ref w, 3) ^ Unsafe.Add(ref w, 7));
            RoundLow(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x9CC45197u, Unsafe.Add(ref w, 4), Unsafe.Add(ref w, 4) ^ Unsafe.Add(ref w, 8));
            RoundLow(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x3988A32Fu, Unsafe.Add(ref w, 5), Unsafe.Add(ref w, 5) ^ Unsafe.Add(ref w, 9));
            RoundLow(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x7311465Eu, Unsafe.Add(ref w, 6), Unsafe.Add(ref w, 6) ^ Unsafe.Add(ref w, 10));
            RoundLow(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xE6228CBCu, Unsafe.Add(ref w, 7), Unsafe.Add(ref w, 7) ^ Unsafe.Add(ref w, 11));
            RoundLow(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0xCC451979u, Unsafe.Add(ref w, 8), Unsafe.Add(ref w, 8) ^ Unsafe.Add(ref w, 12));
            RoundLow(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x988A32F3u, Unsafe.Add(ref w, 9), Unsafe.Add(ref w, 9) ^ Unsafe.Add(ref w, 13));
            RoundLow(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x311465E7u, Unsafe.Add(ref w, 10), Unsafe.Add(ref w, 10) ^ Unsafe.Add(ref w, 14));
            RoundLow(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x6228CBCEu, Unsafe.Add(ref w, 11), Unsafe.Add(ref w, 11) ^ Unsafe.Add(ref w, 15));
            Expand(ref w, 16);
            RoundLow(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0xC451979Cu, Unsafe.Add(ref w, 12), Unsafe.Add(ref w, 12) ^ Unsafe.Add(ref w, 16));
            Expand(ref w, 17);
            RoundLow(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x88A32F39u, Unsafe.Add(ref w, 13), Unsafe.Add(ref w, 13) ^ Unsafe.Add(ref w, 17));
            Expand(ref w, 18);
            RoundLow(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x11465E73u, Unsafe.Add(ref w, 14), Unsafe.Add(ref w, 14) ^ Unsafe.Add(ref w, 18));
            Expand(ref w, 19);
            RoundLow(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x228CBCE6u, Unsafe.Add(ref w, 15), Unsafe.Add(ref w, 15) ^ Unsafe.Add(ref w, 19));
            Expand(ref w, 20);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x9D8A7A87u, Unsafe.Add(ref w, 16), Unsafe.Add(ref w, 16) ^ Unsafe.Add(ref w, 20));
            Expand(ref w, 21);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x3B14F50Fu, Unsafe.Add(ref w, 17), Unsafe.Add(ref w, 17) ^ Unsafe.Add(ref w, 21));
            Expand(ref w, 22);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x7629EA1Eu, Unsafe.Add(ref w, 18), Unsafe.Add(ref w, 18) ^ Unsafe.Add(ref w, 22));
            Expand(ref w, 23);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xEC53D43Cu, Unsafe.Add(ref w, 19), Unsafe.Add(ref w, 19) ^ Unsafe.Add(ref w, 23));
            Expand(ref w, 24);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0xD8A7A879u, Unsafe.Add(ref w, 20), Unsafe.Add(ref w, 20) ^ Unsafe.Add(ref w, 24));
            Expand(ref w, 25);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0xB14F50F3u, Unsafe.Add(ref w, 21), Unsafe.Add(ref w, 21) ^ Unsafe.Add(ref w, 25));
            Expand(ref w, 26);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x629EA1E7u, Unsafe.Add(ref w, 22), Unsafe.Add(ref w, 22) ^ Unsafe.Add(ref w, 26));
            Expand(ref w, 27);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xC53D43CEu, Unsafe.Add(ref w, 23), Unsafe.Add(ref w, 23) ^ Unsafe.Add(ref w, 27));
            Expand(ref w, 28);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x8A7A879Du, Unsafe.Add(ref w, 24), Unsafe.Add(ref w, 24) ^ Unsafe.Add(ref w, 28));
            Expand(ref w, 29);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x14F50F3Bu, Unsafe.Add(ref w, 25), Unsafe.Add(ref w, 25) ^ Unsafe.Add(ref w, 29));
            Expand(ref w, 30);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x29EA1E76u, Unsafe.Add(ref w, 26), Unsafe.Add(ref w, 26) ^ Unsafe.Add(ref w, 30));
            Expand(ref w, 31);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x53D43CECu, Unsafe.Add(ref w, 27), Unsafe.Add(ref w, 27) ^ Unsafe.Add(ref w, 31));
            Expand(ref w, 32);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0xA7A879D8u, Unsafe.Add(ref w, 28), Unsafe.Add(ref w, 28) ^ Unsafe.Add(ref w, 32));
            Expand(ref w, 33);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x4F50F3B1u, Unsafe.Add(ref w, 29), Unsafe.Add(ref w, 29) ^ Unsafe.Add(ref w, 33));
            Expand(ref w, 34);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x9EA1E762u, Unsafe.Add(ref w, 30), Unsafe.Add(ref w, 30) ^ Unsafe.Add(ref w, 34));
            Expand(ref w, 35);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x3D43CEC5u, Unsafe.Add(ref w, 31), Unsafe.Add(ref w, 31) ^ Unsafe.Add(ref w, 35));
            Expand(ref w, 36);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x7A879D8Au, Unsafe.Add(ref w, 32), Unsafe.Add(ref w, 32) ^ Unsafe.Add(ref w, 36));
            Expand(ref w, 37);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0xF50F3B14u, Unsafe.Add(ref w, 33), Unsafe.Add(ref w, 33) ^ Unsafe.Add(ref w, 37));
            Expand(ref w, 38);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0xEA1E7629u, Unsafe.Add(ref w, 34), Unsafe.Add(ref w, 34) ^ Unsafe.Add(ref w, 38));
            Expand(ref w, 39);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xD43CEC53u, Unsafe.Add(ref w, 35), Unsafe.Add(ref w, 35) ^ Unsafe.Add(ref w, 39));
            Expand(ref w, 40);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0xA879D8A7u, Unsafe.Add(ref w, 36), Unsafe.Add(ref w, 36) ^ Unsafe.Add(ref w, 40));
            Expand(ref w, 41);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x50F3B14Fu, Unsafe.Add(ref w, 37), Unsafe.Add(ref w, 37) ^ Unsafe.Add(ref w, 41));
            Expand(ref w, 42);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0xA1E7629Eu, Unsafe.Add(ref w, 38), Unsafe.Add(ref w, 38) ^ Unsafe.Add(ref w, 42));
            Expand(ref w, 43);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x43CEC53Du, Unsafe.Add(ref w, 39), Unsafe.Add(ref w, 39) ^ Unsafe.Add(ref w, 43));
            Expand(ref w, 44);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x879D8A7Au, Unsafe.Add(ref w, 40), Unsafe.Add(ref w, 40) ^ Unsafe.Add(ref w, 44));
            Expand(ref w, 45);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x0F3B14F5u, Unsafe.Add(ref w, 41), Unsafe.Add(ref w, 41) ^ Unsafe.Add(ref w, 45));
            Expand(ref w, 46);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x1E7629EAu, Unsafe.Add(ref w, 42), Unsafe.Add(ref w, 42) ^ Unsafe.Add(ref w, 46));
            Expand(ref w, 47);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x3CEC53D4u, Unsafe.Add(ref w, 43), Unsafe.Add(ref w, 43) ^ Unsafe.Add(ref w, 47));
            Expand(ref w, 48);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x79D8A7A8u, Unsafe.Add(ref w, 44), Unsafe.Add(ref w, 44) ^ Unsafe.Add(ref w, 48));
            Expand(ref w, 49);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0xF3B14F50u, Unsafe.Add(ref w, 45), Unsafe.Add(ref w, 45) ^ Unsafe.Add(ref w, 49));
            Expand(ref w, 50);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0xE7629EA1u, Unsafe.Add(ref w, 46), Unsafe.Add(ref w, 46) ^ Unsafe.Add(ref w, 50));
            Expand(ref w, 51);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xCEC53D43u, Unsafe.Add(ref w, 47), Unsafe.Add(ref w, 47) ^ Unsafe.Add(ref w, 51));
            Expand(ref w, 52);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x9D8A7A87u, Unsafe.Add(ref w, 48), Unsafe.Add(ref w, 48) ^ Unsafe.Add(ref w, 52));
            Expand(ref w, 53);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x3B14F50Fu, Unsafe.Add(ref w, 49), Unsafe.Add(ref w, 49) ^ Unsafe.Add(ref w, 53));
            Expand(ref w, 54);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x7629EA1Eu, Unsafe.Add(ref w, 50), Unsafe.Add(ref w, 50) ^ Unsafe.Add(ref w, 54));
            Expand(ref w, 55);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xEC53D43Cu, Unsafe.Add(ref w, 51), Unsafe.Add(ref w, 51) ^ Unsafe.Add(ref w, 55));
            Expand(ref w, 56);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0xD8A7A879u, Unsafe.Add(ref w, 52), Unsafe.Add(ref w, 52) ^ Unsafe.Add(ref w, 56));
            Expand(ref w, 57);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0xB14F50F3u, Unsafe.Add(ref w, 53), Unsafe.Add(ref w, 53) ^ Unsafe.Add(ref w, 57));
            Expand(ref w, 58);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x629EA1E7u, Unsafe.Add(ref w, 54), Unsafe.Add(ref w, 54) ^ Unsafe.Add(ref w, 58));
            Expand(ref w, 59);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0xC53D43CEu, Unsafe.Add(ref w, 55), Unsafe.Add(ref w, 55) ^ Unsafe.Add(ref w, 59));
            Expand(ref w, 60);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0x8A7A879Du, Unsafe.Add(ref w, 56), Unsafe.Add(ref w, 56) ^ Unsafe.Add(ref w, 60));
            Expand(ref w, 61);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x14F50F3Bu, Unsafe.Add(ref w, 57), Unsafe.Add(ref w, 57) ^ Unsafe.Add(ref w, 61));
            Expand(ref w, 62);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x29EA1E76u, Unsafe.Add(ref w, 58), Unsafe.Add(ref w, 58) ^ Unsafe.Add(ref w, 62));
            Expand(ref w, 63);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x53D43CECu, Unsafe.Add(ref w, 59), Unsafe.Add(ref w, 59) ^ Unsafe.Add(ref w, 63));
            Expand(ref w, 64);
            RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, 0xA7A879D8u, Unsafe.Add(ref w, 60), Unsafe.Add(ref w, 60) ^ Unsafe.Add(ref w, 64));
            Expand(ref w, 65);
            RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, 0x4F50F3B1u, Unsafe.Add(ref w, 61), Unsafe.Add(ref w, 61) ^ Unsafe.Add(ref w, 65));
            Expand(ref w, 66);
            RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, 0x9EA1E762u, Unsafe.Add(ref w, 62), Unsafe.Add(ref w, 62) ^ Unsafe.Add(ref w, 66));
            Expand(ref w, 67);
            RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, 0x3D43CEC5u, Unsafe.Add(ref w, 63), Unsafe.Add(ref w, 63) ^ Unsafe.Add(ref w, 67));

            a ^= aa;
            b ^= bb;
            c ^= cc;
            d ^= dd;
            e ^= ee;
            f ^= ff;
            g ^= gg;
            h ^= hh;
            blocks = blocks[Sm3.BlockLength..];
        }

        state[0] = a;
        state[1] = b;
        state[2] = c;
        state[3] = d;
        state[4] = e;
        state[5] = f;
        state[6] = g;
        state[7] = h;
    }

    /// <summary>Message expansion: W_j from W_(j-16), W_(j-13), W_(j-9), W_(j-6) and W_(j-3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Expand(ref uint w, int j)
    {
        var x = Unsafe.Add(ref w, j - 16) ^ Unsafe.Add(ref w, j - 9) ^ BitOperations.RotateLeft(Unsafe.Add(ref w, j - 3), 15);
        Unsafe.Add(ref w, j) = x ^ BitOperations.RotateLeft(x, 15) ^ BitOperations.RotateLeft(x, 23)
            ^ BitOperations.RotateLeft(Unsafe.Add(ref w, j - 13), 7) ^ Unsafe.Add(ref w, j - 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundLow(uint a, ref uint b, uint c, ref uint d, uint e, ref uint f, uint g, ref uint h, uint tj, uint wj, uint wj1)
    {
        var a12 = BitOperations.RotateLeft(a, 12);
        var ss1 = BitOperations.RotateLeft(a12 + e + tj, 7);
        var ss2 = ss1 ^ a12;
        var tt1 = (a ^ b ^ c) + d + ss2 + wj1;
        var tt2 = (e ^ f ^ g) + h + ss1 + wj;
        b = BitOperations.RotateLeft(b, 9);
        f = BitOperations.RotateLeft(f, 19);
        d = tt1;
        h = tt2 ^ BitOperations.RotateLeft(tt2, 9) ^ BitOperations.RotateLeft(tt2, 17);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundHigh(uint a, ref uint b, uint c, ref uint d, uint e, ref uint f, uint g, ref uint h, uint tj, uint wj, uint wj1)
    {
        var a12 = BitOperations.RotateLeft(a, 12);
        var ss1 = BitOperations.RotateLeft(a12 + e + tj, 7);
        var ss2 = ss1 ^ a12;
        var tt1 = ((a & b) | (a & c) | (b & c)) + d + ss2 + wj1;
        var tt2 = ((e & f) | (~e & g)) + h + ss1 + wj;
        b = BitOperations.RotateLeft(b, 9);
        f = BitOperations.RotateLeft(f, 19);
        d = tt1;
        h = tt2 ^ BitOperations.RotateLeft(tt2, 9) ^ BitOperations.RotateLeft(tt2, 17);
    }
}
