using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>Read-only account state as of one block.</summary>
public interface IEthStateView
{
    /// <summary>Balance in wei (zero for an absent account).</summary>
    UInt256 GetBalance(Address address);

    /// <summary>Nonce (zero for an absent account).</summary>
    ulong GetNonce(Address address);

    /// <summary>Code (empty for an absent account or an externally owned one).</summary>
    byte[] GetCode(Address address);

    /// <summary>The 32-byte storage word at <paramref name="slot"/> (zero when unset).</summary>
    UInt256 GetStorage(Address address, UInt256 slot);
}
