using Trellis.Core;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// A quorum certificate: 2f + 1 distinct validators' votes for one block in one view (HotStuff, Yin et al. 2019,
/// "QC"). The genesis certificate is the one exception: view 0, the genesis hash, no signatures.
/// </summary>
public sealed class QuorumCertificate
{
    /// <summary>Wraps a view, the certified block's hash and the votes' signatures (not validated here; see <see cref="SafetyRules.ValidateQc"/>).</summary>
    public QuorumCertificate(long view, Hash256 blockHash, IReadOnlyList<ValidatorSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        View = view;
        BlockHash = blockHash;
        Signatures = signatures;
    }

    /// <summary>The view in which the certified block was proposed and voted for.</summary>
    public long View { get; }

    /// <summary>The certified block's hash.</summary>
    public Hash256 BlockHash { get; }

    /// <summary>The votes' signatures over (view, block hash), one per distinct validator.</summary>
    public IReadOnlyList<ValidatorSignature> Signatures { get; }

    /// <summary>True for the signature-free certificate of the genesis block.</summary>
    public bool IsGenesis => View == 0 && Signatures.Count == 0;

    /// <summary>The certificate every validator starts with: view 0 over the genesis block, no signatures.</summary>
    public static QuorumCertificate ForGenesis(Hash256 genesisHash) => new(0, genesisHash, []);

    /// <inheritdoc/>
    public override string ToString() => $"QC(view {View}, {BlockHash.ToString()[..10]}, {Signatures.Count} sigs)";
}
