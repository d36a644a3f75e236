namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>
/// A leader's proposal for <c>Block.View</c>, signed by that view's leader. When the block's justify QC is not
/// of the previous view, <paramref name="Tc"/> proves the previous view timed out.
/// </summary>
/// <param name="Block">The proposed block.</param>
/// <param name="Tc">The timeout certificate of view <c>Block.View − 1</c>, when the leader entered its view by one.</param>
/// <param name="Signature">The leader's signature over <see cref="SigningMessages.Proposal"/>.</param>
public sealed record ProposalMessage(HotStuffBlock Block, TimeoutCertificate? Tc, byte[] Signature) : HotStuffMessage;
