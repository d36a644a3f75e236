using Trellis.Core;

namespace Trellis.Ledger.Genesis;

/// <summary>An account in the genesis state (one entry of <c>alloc</c>).</summary>
public sealed class GenesisAccount
{
    /// <summary>The balance in wei.</summary>
    public UInt256 Balance { get; init; }

    /// <summary>The nonce (default 0).</summary>
    public ulong Nonce { get; init; }

    /// <summary>Contract code (default none).</summary>
    public ReadOnlyMemory<byte> Code { get; init; }

    /// <summary>Storage slots (default none).</summary>
    public IReadOnlyDictionary<UInt256, UInt256> Storage { get; init; } = new Dictionary<UInt256, UInt256>();
}
