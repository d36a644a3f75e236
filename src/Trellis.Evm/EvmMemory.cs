using System.Buffers;
using System.Runtime.CompilerServices;
using Trellis.Core;

namespace Trellis.Evm;

/// <summary>
/// A frame's byte-addressed memory: a pooled buffer that grows in 32-byte words and charges the yellow paper's
/// expansion cost, C(a) = 3a + a²/512 for a words, as the difference between the new and the old size.
/// </summary>
internal sealed class EvmMemory
{
    /// <summary>
    /// Memory is never grown beyond 1 GiB: reaching it costs more than 2^41 gas, so every request past it is
    /// reported as out of gas rather than allocated (and offsets like 2^64 never overflow).
    /// </summary>
    public const ulong MaxSize = 1UL << 30;

    private byte[] _buffer = [];
    private int _size;

    /// <summary>Active size in bytes (a multiple of 32): the value of MSIZE.</summary>
    public int Size => _size;

    /// <summary>The active bytes.</summary>
    public Span<byte> Span => _buffer.AsSpan(0, _size);

    /// <summary>A read-only view of [offset, offset + length), valid until the memory next grows.</summary>
    public ReadOnlyMemory<byte> Slice(int offset, int length) => _buffer.AsMemory(offset, length);

    /// <summary>The yellow paper's memory cost of <paramref name="words"/> words.</summary>
    public static long Cost(ulong words) => (long)((words * GasCost.Memory) + (words * words / 512));

    /// <summary>
    /// The end (offset + length) of the region; 0 for an empty region whatever its offset. False when the region
    /// reaches beyond <see cref="MaxSize"/> (out of gas).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGetEnd(in UInt256 offset, in UInt256 length, out ulong end)
    {
        if (length.IsZero)
        {
            end = 0;
            return true;
        }

        if (!offset.FitsInUlong || !length.FitsInUlong || offset.U0 > MaxSize || length.U0 > MaxSize)
        {
            end = 0;
            return false;
        }

        end = offset.U0 + length.U0;
        return end <= MaxSize;
    }

    /// <summary>Charges for and grows the memory to cover [offset, offset + length); false when out of gas.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryExpand(ref long gas, in UInt256 offset, in UInt256 length)
    {
        if (length.IsZero)
        {
            return true;
        }

        return TryGetEnd(offset, length, out ulong end) && TryExpand(ref gas, end);
    }

    /// <summary>Charges for and grows the memory to cover [0, end); false when out of gas.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryExpand(ref long gas, ulong end)
    {
        if (end <= (ulong)_size)
        {
            return true;
        }

        return Grow(ref gas, end);
    }

    /// <summary>Forgets the contents (the buffer is kept for the next frame).</summary>
    public void Reset() => _size = 0;

    /// <summary>Returns the buffer to the pool.</summary>
    public void Release()
    {
        if (_buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        _size = 0;
    }

    private bool Grow(ref long gas, ulong end)
    {
        if (end > MaxSize)
        {
            gas = 0;
            return false;
        }

        ulong newWords = (end + 31) / 32;
        long cost = Cost(newWords) - Cost((ulong)_size / 32);
        if (cost > gas)
        {
            gas = 0;
            return false;
        }

        gas -= cost;
        int newSize = (int)(newWords * 32);
        if (newSize > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(newSize, Math.Min(2 * _buffer.Length, (int)MaxSize)));
            _buffer.AsSpan(0, _size).CopyTo(bigger);
            if (_buffer.Length != 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = bigger;
        }

        _buffer.AsSpan(_size, newSize - _size).Clear();
        _size = newSize;
        return true;
    }
}
