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
}
