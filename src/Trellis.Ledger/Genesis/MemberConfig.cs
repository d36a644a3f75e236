using Trellis.Core;

namespace Trellis.Ledger.Genesis;

/// <summary>A founding member organisation.</summary>
public sealed class MemberConfig
{
    /// <summary>The organisation's unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The organisation's CA certificate (PEM), if its nodes use certificates it issues.</summary>
    public string? CaCertificate { get; init; }

    /// <summary>The accounts that propose and vote for the organisation in governance (optional; at most 8).</summary>
    public IReadOnlyList<Address> Admins { get; init; } = [];
}
