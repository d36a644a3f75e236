namespace Trellis.Core;

/// <summary>
/// Incremental Keccak-256: feed data with <see cref="Update"/> in any pieces, then <see cref="Finish"/>.
/// Not thread-safe; one instance per concurrent hash.
/// </summary>
public sealed class Keccak256Hasher
{
    private readonly ulong[] _state = new ulong[KeccakPermutation.Lanes];
    private readonly byte[] _buffer = new byte[Keccak256.Rate];
    private int _buffered;

    /// <summary>Absorbs <paramref name="data"/>.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        if (_buffered > 0)
        {
            int take = Math.Min(Keccak256.Rate - _buffered, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
            if (_buffered < Keccak256.Rate)
            {
                return;
            }

            Keccak256.AbsorbBlock(_state, _buffer);
            _buffered = 0;
        }

        while (data.Length >= Keccak256.Rate)
        {
            Keccak256.AbsorbBlock(_state, data);
            data = data[Keccak256.Rate..];
        }

        data.CopyTo(_buffer);
        _buffered = data.Length;
    }

    /// <summary>Returns the digest of everything absorbed since construction or the last reset, then resets.</summary>
    public Hash256 Finish()
    {
        Keccak256.AbsorbFinal(_state, _buffer.AsSpan(0, _buffered), Keccak256.KeccakPadding);
        Span<byte> output = stackalloc byte[Hash256.Length];
        Keccak256.Squeeze(_state, output);
        Reset();
        return new Hash256(output);
    }

    /// <summary>Discards everything absorbed so far.</summary>
    public void Reset()
    {
        Array.Clear(_state);
        _buffered = 0;
    }
}
