namespace Trellis.Ledger.Verification;

/// <summary>How far <see cref="LedgerVerifier.Verify"/> has got.</summary>
/// <param name="Height">The block just checked.</param>
/// <param name="HeadHeight">The last block it will check.</param>
public readonly record struct VerifyProgress(ulong Height, ulong HeadHeight);
