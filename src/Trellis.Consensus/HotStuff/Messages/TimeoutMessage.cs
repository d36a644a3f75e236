namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>
/// A validator gave up on <paramref name="View"/> (the paper's NewView message). It carries the sender's highest QC
/// so the next leader extends the newest certified block, and the certificate that brought the sender into the view
/// so a lagging receiver can follow it there.
/// </summary>
/// <param name="View">The view that timed out.</param>
/// <param name="Validator">The sender's index.</param>
/// <param name="HighQc">The sender's highest QC.</param>
/// <param name="EntryTc">The TC of <c>View − 1</c> if the sender entered the view by one; otherwise null (its high QC is then of <c>View − 1</c> or the view is its first).</param>
/// <param name="Signature">The sender's signature over <see cref="SigningMessages.Timeout"/> (view, high QC view).</param>
public sealed record TimeoutMessage(long View, int Validator, QuorumCertificate HighQc, TimeoutCertificate? EntryTc, byte[] Signature) : HotStuffMessage;
