namespace Trellis.State.Storage;

/// <summary>Key arithmetic shared by the stores' range scans.</summary>
internal static class KeyRange
{
    /// <summary>
    /// The smallest key greater than every key that starts with <paramref name="prefix"/>: the prefix with trailing
    /// 0xff bytes dropped and the last byte incremented; empty (no upper bound) when the prefix is empty or all 0xff.
    /// </summary>
    public static byte[] EndOfPrefix(ReadOnlySpan<byte> prefix)
    {
        int last = prefix.LastIndexOfAnyExcept((byte)0xff);
        if (last < 0)
        {
            return [];
        }

        byte[] end = prefix[..(last + 1)].ToArray();
        end[last]++;
        return end;
    }

    /// <summary>True if <paramref name="key"/> lies in [start, end), an empty end meaning unbounded.</summary>
    public static bool Contains(ReadOnlySpan<byte> key, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) =>
        key.SequenceCompareTo(start) >= 0 && (end.IsEmpty || key.SequenceCompareTo(end) < 0);
}
