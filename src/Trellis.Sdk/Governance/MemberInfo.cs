using Trellis.Core;

namespace Trellis.Sdk.Governance;

/// <summary>A member organisation as <c>ICommittee.memberAt</c> returns it.</summary>
/// <param name="Name">The organisation's name.</param>
/// <param name="CaFingerprint">SHA-256 of its CA certificate's DER.</param>
/// <param name="Weight">Its voting weight.</param>
/// <param name="Admins">The accounts that act for it.</param>
public sealed record MemberInfo(string Name, Hash256 CaFingerprint, ulong Weight, IReadOnlyList<Address> Admins);
