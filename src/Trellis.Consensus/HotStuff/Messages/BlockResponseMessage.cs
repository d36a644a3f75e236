namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>Blocks answering a <see cref="BlockRequestMessage"/>, newest first. Each is checked by its hash and its justify QC, so the sender need not be trusted.</summary>
/// <param name="Blocks">The requested block and then its ancestors.</param>
public sealed record BlockResponseMessage(IReadOnlyList<HotStuffBlock> Blocks) : HotStuffMessage;
