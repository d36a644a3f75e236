using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Ledger.Genesis;

/// <summary>A node admitted at genesis.</summary>
public sealed class NodeConfig
{
    /// <summary>The node's unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The member organisation that runs it.</summary>
    public required string Org { get; init; }

    /// <summary>Validator or observer.</summary>
    public required NodeRole Role { get; init; }

    /// <summary>The node's signing key on the chain's curve, if given.</summary>
    public PublicKey? PublicKey { get; init; }

    /// <summary>The node's signing address (given, or derived from <see cref="PublicKey"/>).</summary>
    public required Address Address { get; init; }

    /// <summary>SHA-256 of the node's TLS certificate (32 bytes), if pinned.</summary>
    public ReadOnlyMemory<byte>? TlsCertificateFingerprint { get; init; }
}
