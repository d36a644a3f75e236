using Trellis.Core;

namespace Trellis.Consensus;

/// <summary>
/// What a committed block's consensus certificate says, for operators and auditors: which engine made it, in which
/// round (a HotStuff view, a Raft term), and the signing addresses of the validators whose signatures it holds.
/// </summary>
/// <param name="Engine">The engine's name ("hotstuff", "raft").</param>
/// <param name="Height">The block's height.</param>
/// <param name="Round">The view (HotStuff) or term (Raft) in which the block was certified.</param>
/// <param name="Signers">The signing addresses of the certificate's signers, in the certificate's order.</param>
public sealed record CommitCertificateInfo(string Engine, ulong Height, long Round, IReadOnlyList<Address> Signers);
