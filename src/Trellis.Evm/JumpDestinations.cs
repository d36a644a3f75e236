using System.Collections.Concurrent;
using Trellis.Core;

namespace Trellis.Evm;

/// <summary>
/// Valid JUMP targets of a piece of code: positions holding JUMPDEST (0x5b) that are not inside PUSH data.
/// Results for deployed code are cached by code hash, since the same contracts run again and again.
/// </summary>
internal static class JumpDestinations
{
    // Bounds the cache; when full it is cleared rather than tracked per entry (simple, and analysis is cheap).
    private const int MaxCachedCodes = 4096;

    private static readonly ConcurrentDictionary<Hash256, ulong[]> Cache = new();

    /// <summary>The bitmap for deployed code, cached under its code hash.</summary>
    public static ulong[] Get(in Hash256 codeHash, ReadOnlySpan<byte> code)
    {
        if (Cache.TryGetValue(codeHash, out var bitmap))
        {
            return bitmap;
        }

        bitmap = Analyze(code);
        if (Cache.Count >= MaxCachedCodes)
        {
            Cache.Clear();
        }

        Cache[codeHash] = bitmap;
        return bitmap;
    }

    /// <summary>One bit per code byte, set where a jump may land.</summary>
    public static ulong[] Analyze(ReadOnlySpan<byte> code)
    {
        var bitmap = new ulong[(code.Length + 63) / 64];
        for (int i = 0; i < code.Length; i++)
        {
            byte op = code[i];
            if (op == Opcode.JumpDest)
            {
                bitmap[i >> 6] |= 1UL << (i & 63);
            }
            else if (op >= Opcode.Push1 && op <= Opcode.Push32)
            {
                i += op - Opcode.Push1 + 1;
            }
        }

        return bitmap;
    }

    /// <summary>True when <paramref name="destination"/> is a valid jump target in the analysed code.</summary>
    public static bool IsValid(ulong[] bitmap, in UInt256 destination)
    {
        if (!destination.FitsInUlong || destination.U0 >= (ulong)bitmap.Length * 64)
        {
            return false;
        }

        int index = (int)destination.U0;
        return (bitmap[index >> 6] & (1UL << (index & 63))) != 0;
    }
}
