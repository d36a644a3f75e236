namespace Trellis.Consensus.HotStuff;

/// <summary>What one input (message, tick, start) made a replica do: messages to send and blocks newly committed, in height order.</summary>
public sealed class HotStuffOutput
{
    /// <summary>Messages to send, in order.</summary>
    public List<OutgoingMessage> Messages { get; } = [];

    /// <summary>Blocks committed by this input, oldest first; each extends the previous committed block.</summary>
    public List<HotStuffBlock> Committed { get; } = [];

    /// <summary>For each block of <see cref="Committed"/> (same index), the QC that certifies it (its child's justify).</summary>
    public List<QuorumCertificate> CommittedQcs { get; } = [];

    /// <summary>Views that ended without progress by this input (this validator timed out, or a timeout certificate moved it on).</summary>
    public List<ViewTimeout> Timeouts { get; } = [];
}

/// <summary>
/// A view that ended without a certified block, for the operator's log: <see cref="Certified"/> is false when this
/// validator timed out and waits for the others (<see cref="TimedOut"/> of <see cref="Quorum"/> so far), true when a
/// timeout certificate moved it to <see cref="NextView"/>, which lasts <see cref="NextTimeout"/> before it times out.
/// <see cref="Attempt"/> counts this validator's timeouts in the view (1 the first time; more means it is resending
/// because no certificate formed).
/// </summary>
public sealed record ViewTimeout(long View, int Leader, bool Certified, int TimedOut, int Quorum, long NextView, int NextLeader, long NextTimeout, int FailuresInARow, int Attempt);
