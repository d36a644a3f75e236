using Trellis.Core;

namespace Trellis.Ledger.Verification;

/// <summary>The outcome of <see cref="LedgerVerifier.Verify"/>: a clean ledger, or the first bad block and why.</summary>
public sealed class VerifyResult
{
    private VerifyResult(bool isValid, ulong blockCount, ulong headHeight, Hash256 headHash, ulong? badHeight, Hash256? badHash, string? reason)
    {
        IsValid = isValid;
        BlockCount = blockCount;
        HeadHeight = headHeight;
        HeadHash = headHash;
        BadHeight = badHeight;
        BadHash = badHash;
        Reason = reason;
    }

    /// <summary>True when every checked block passed.</summary>
    public bool IsValid { get; }

    /// <summary>Blocks that passed (genesis included).</summary>
    public ulong BlockCount { get; }

    /// <summary>The head's height (as the head pointer names it).</summary>
    public ulong HeadHeight { get; }

    /// <summary>The head's hash (as the head pointer names it); zero when there is none.</summary>
    public Hash256 HeadHash { get; }

    /// <summary>The first bad block's height; null when valid or when the store itself is unusable (no head).</summary>
    public ulong? BadHeight { get; }

    /// <summary>The first bad block's hash as stored by height, if there is one.</summary>
    public Hash256? BadHash { get; }

    /// <summary>Why the block (or the store) is bad; null when valid.</summary>
    public string? Reason { get; }

    internal static VerifyResult Ok(ulong blockCount, ulong headHeight, Hash256 headHash) =>
        new(true, blockCount, headHeight, headHash, null, null, null);

    internal static VerifyResult Bad(ulong blockCount, ulong headHeight, Hash256 headHash, ulong? badHeight, Hash256? badHash, string reason) =>
        new(false, blockCount, headHeight, headHash, badHeight, badHash, reason);

    /// <summary>"ledger ok: N blocks, head 0x…" or "ledger BAD at block N (0x…): reason".</summary>
    public override string ToString()
    {
        if (IsValid)
        {
            return $"ledger ok: {BlockCount} blocks, head {HeadHash}";
        }

        if (BadHeight is ulong height)
        {
            string hash = BadHash is Hash256 bad ? $" ({bad})" : string.Empty;
            return $"ledger BAD at block {height}{hash}: {Reason}";
        }

        return $"ledger BAD: {Reason}";
    }
}
