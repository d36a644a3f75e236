using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>A member organisation in the committee.</summary>
/// <param name="Id">Internal id, never reused (votes are recorded against it).</param>
/// <param name="Name">The organisation's unique name.</param>
/// <param name="CaFingerprint">SHA-256 of its CA certificate (DER), or zero if none was given.</param>
/// <param name="Weight">Its voting weight.</param>
/// <param name="Admins">The accounts that propose and vote for it.</param>
public sealed record GovernanceMember(ulong Id, string Name, Hash256 CaFingerprint, ulong Weight, IReadOnlyList<Address> Admins);
