using Trellis.Core;

namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>
/// What a committed ledger block carries in <see cref="Ledger.Blocks.BlockHeader.ConsensusCertificate"/> besides its
/// own contents: the HotStuff fields that are not in the ledger block (parent HotStuff hash, view, justify view) and
/// the signatures of the QC that certifies the block. The HotStuff block is re-derived with payload = the ledger
/// block's encoding without certificate, height = the ledger height and state root = the header's.
/// </summary>
/// <param name="ParentHash">The HotStuff hash of the parent block (also the justify QC's block).</param>
/// <param name="View">The view in which the block was proposed (and certified).</param>
/// <param name="JustifyView">The view of the block's justify QC (the parent's view).</param>
/// <param name="Signatures">The QC's signatures over (view, HotStuff block hash), indices into the epoch's set.</param>
/// <param name="Epoch">The epoch whose validators signed: the first ledger height of that set (0 for the genesis set).</param>
public sealed record HotStuffCommitCertificate(Hash256 ParentHash, long View, long JustifyView, IReadOnlyList<ValidatorSignature> Signatures, ulong Epoch = 0)
{
    /// <summary>The certificate format version.</summary>
    public const uint Version = 1;
}
