namespace Trellis.Ledger.Genesis;

/// <summary>Bounds of the transaction pool (the <c>txPool</c> section; every field optional).</summary>
public sealed class TxPoolConfig
{
    /// <summary>The default largest encoded transaction: 128 KiB.</summary>
    public const int DefaultMaxTxBytes = 131072;

    /// <summary>The most transactions the pool holds (default 10000).</summary>
    public int MaxCount { get; init; } = 10_000;

    /// <summary>The most bytes of encoded transactions the pool holds (default 64 MiB).</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The largest encoded transaction admitted (default 131072).</summary>
    public int MaxTxBytes { get; init; } = DefaultMaxTxBytes;
}
