using Trellis.Core;

namespace Trellis.Evm.StateTests;

/// <summary>An account of a state test's <c>pre</c> section.</summary>
/// <param name="Address">The account address.</param>
/// <param name="Balance">Balance in wei.</param>
/// <param name="Nonce">Account nonce.</param>
/// <param name="Code">Contract code (empty for an externally owned account).</param>
/// <param name="Storage">Storage slots and their values (zero values are allowed and mean "absent").</param>
public sealed record StateTestAccount(Address Address, UInt256 Balance, ulong Nonce, byte[] Code, IReadOnlyList<KeyValuePair<UInt256, UInt256>> Storage);
