using Trellis.Core;

namespace Trellis.Ledger.Pool;

/// <summary>Reads accounts at the chain head: what the pool needs to check nonces and balances.</summary>
public interface IAccountStateReader
{
    /// <summary>The account's nonce at the head (zero for an unknown account).</summary>
    ulong GetNonce(in Address address);

    /// <summary>The account's balance at the head (zero for an unknown account).</summary>
    UInt256 GetBalance(in Address address);
}
