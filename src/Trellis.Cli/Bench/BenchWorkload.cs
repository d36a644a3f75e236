namespace Trellis.Cli.Bench;

/// <summary>What each benchmark transaction does.</summary>
internal enum BenchWorkload
{
    /// <summary>A native value transfer of 1 wei to another sender.</summary>
    Transfer,

    /// <summary>An ERC-20 <c>transfer</c> of one token unit to another sender.</summary>
    Erc20,

    /// <summary>A <c>KvStore.set</c> of a fresh key (one new storage slot per transaction).</summary>
    Kv,

    /// <summary>An <c>Evidence.record</c> of a 32-byte hash with metadata, as an event.</summary>
    Evidence,
}
