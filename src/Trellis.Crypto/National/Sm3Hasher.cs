using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Trellis.Crypto.National;

/// <summary>
/// Incremental SM3 (GB/T 32905-2016): feed data with <see cref="Update"/>, read the digest with
/// <see cref="Finish"/>, then <see cref="Reset"/> to reuse the instance. Not thread-safe.
/// </summary>
public sealed class Sm3Hasher
{
    // T_j rotated left by (j mod 32), precomputed so each round adds a constant instead of rotating one.
    private static readonly uint[] RotatedConstants = BuildRotatedConstants();

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
    internal static void Compress(Span<uint> state, ReadOnlySpan<byte> blocks)
    {
        Span<uint> w = stackalloc uint[68];
        ReadOnlySpan<uint> t = RotatedConstants;
        _ = t[63];
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
            Expand(blocks, w);

            uint aa = a, bb = b, cc = c, dd = d, ee = e, ff = f, gg = g, hh = h;

            // Each round writes the new A into D's slot and the new E into H's slot, and rotates B and F in place,
            // so passing the variables in a rotating order replaces the eight-way shuffle of the standard.
            for (var j = 0; j < 16; j += 4)
            {
                RoundLow(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, t[j], w[j], w[j] ^ w[j + 4]);
                RoundLow(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, t[j + 1], w[j + 1], w[j + 1] ^ w[j + 5]);
                RoundLow(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, t[j + 2], w[j + 2], w[j + 2] ^ w[j + 6]);
                RoundLow(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, t[j + 3], w[j + 3], w[j + 3] ^ w[j + 7]);
            }

            for (var j = 16; j < 64; j += 4)
            {
                RoundHigh(aa, ref bb, cc, ref dd, ee, ref ff, gg, ref hh, t[j], w[j], w[j] ^ w[j + 4]);
                RoundHigh(dd, ref aa, bb, ref cc, hh, ref ee, ff, ref gg, t[j + 1], w[j + 1], w[j + 1] ^ w[j + 5]);
                RoundHigh(cc, ref dd, aa, ref bb, gg, ref hh, ee, ref ff, t[j + 2], w[j + 2], w[j + 2] ^ w[j + 6]);
                RoundHigh(bb, ref cc, dd, ref aa, ff, ref gg, hh, ref ee, t[j + 3], w[j + 3], w[j + 3] ^ w[j + 7]);
            }

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Expand(ReadOnlySpan<byte> block, Span<uint> w)
    {
        _ = w[67];
        _ = block[63];
        for (var j = 0; j < 16; j++)
        {
            w[j] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(j * 4));
        }

        for (var j = 16; j < 68; j++)
        {
            var x = w[j - 16] ^ w[j - 9] ^ BitOperations.RotateLeft(w[j - 3], 15);
            w[j] = x ^ BitOperations.RotateLeft(x, 15) ^ BitOperations.RotateLeft(x, 23)
                ^ BitOperations.RotateLeft(w[j - 13], 7) ^ w[j - 6];
        }
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

    private static uint[] BuildRotatedConstants()
    {
        var t = new uint[64];
        for (var j = 0; j < 64; j++)
        {
            t[j] = BitOperations.RotateLeft(j < 16 ? 0x79cc4519u : 0x7a879d8au, j % 32);
        }

        return t;
    }
}
