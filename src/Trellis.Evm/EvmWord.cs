using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Trellis.Core;

namespace Trellis.Evm;

/// <summary>Conversions between the 256-bit stack word and addresses, hashes and byte strings.</summary>
internal static class EvmWord
{
    /// <summary>The address as a word (left-padded with zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 FromAddress(in Address address)
    {
        ReadOnlySpan<byte> bytes = address.Bytes;
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(bytes[12..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    /// <summary>The low 160 bits of the word as an address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [SkipLocalsInit]
    public static Address ToAddress(in UInt256 word)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)word.U2);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[4..], word.U1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[12..], word.U0);
        return new Address(bytes);
    }

    /// <summary>The hash read as a big-endian word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 FromHash(in Hash256 hash) => UInt256.FromBigEndian(hash.Bytes);

    /// <summary>The word as a 32-byte big-endian hash.</summary>
    [SkipLocalsInit]
    public static Hash256 ToHash(in UInt256 word)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        word.WriteBigEndian(bytes);
        return new Hash256(bytes);
    }

    /// <summary>
    /// Reads up to 32 bytes of <paramref name="data"/> starting at <paramref name="offset"/> as a big-endian word,
    /// with bytes past the end read as zero (CALLDATALOAD, PUSH at the end of code).
    /// </summary>
    [SkipLocalsInit]
    public static UInt256 ReadPadded(ReadOnlySpan<byte> data, ulong offset, int length)
    {
        if (offset >= (ulong)data.Length)
        {
            return UInt256.Zero;
        }

        int start = (int)offset;
        if (data.Length - start >= length)
        {
            return ReadBigEndian(data.Slice(start, length));
        }

        Span<byte> word = stackalloc byte[32];
        word.Clear();
        int available = Math.Min(length, data.Length - start);

        // The bytes present fill the top of the length-byte number; missing low bytes stay zero.
        data.Slice(start, available).CopyTo(word[(32 - length)..]);
        return UInt256.FromBigEndian(word);
    }

    /// <summary>Reads 0 to 32 big-endian bytes as a word, limb by limb (PUSH1..PUSH32 without a scratch buffer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 ReadBigEndian(ReadOnlySpan<byte> bytes)
    {
        int length = bytes.Length;
        return new UInt256(ReadLimb(bytes, length), ReadLimb(bytes, length - 8), ReadLimb(bytes, length - 16), ReadLimb(bytes, length - 24));
    }

    /// <summary>The big-endian limb made of the (up to) eight bytes that end at <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadLimb(ReadOnlySpan<byte> bytes, int end)
    {
        if (end >= 8)
        {
            return BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(end - 8, 8));
        }

        ulong limb = 0;
        for (int i = 0; i < end; i++)
        {
            limb = (limb << 8) | bytes[i];
        }

        return limb;
    }

    /// <summary>
    /// Copies <paramref name="destination"/>.Length bytes of <paramref name="source"/> from <paramref name="offset"/>,
    /// writing zeros for bytes beyond its end (CALLDATACOPY, CODECOPY, EXTCODECOPY).
    /// </summary>
    public static void CopyPadded(ReadOnlySpan<byte> source, in UInt256 offset, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        int copied = 0;
        if (offset.FitsInUlong && offset.U0 < (ulong)source.Length)
        {
            int start = (int)offset.U0;
            copied = Math.Min(destination.Length, source.Length - start);
            source.Slice(start, copied).CopyTo(destination);
        }

        destination[copied..].Clear();
    }
}
