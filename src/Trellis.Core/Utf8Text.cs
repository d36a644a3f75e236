namespace Trellis.Core;

/// <summary>Helpers for UTF-8 text read from files people edit by hand.</summary>
public static class Utf8Text
{
    /// <summary>
    /// Drops a leading UTF-8 byte-order mark (EF BB BF). Some editors write one; JSON readers over spans do not
    /// accept it, and it carries no meaning in UTF-8.
    /// </summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> text) =>
        text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? text[3..] : text;
}
