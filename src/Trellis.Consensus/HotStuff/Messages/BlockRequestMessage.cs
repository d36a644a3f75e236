using Trellis.Core;

namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>Asks a validator for a block it referenced and up to <paramref name="MaxCount"/> − 1 of its ancestors.</summary>
/// <param name="Hash">The newest block wanted.</param>
/// <param name="MaxCount">How many blocks at most, walking back through parents.</param>
public sealed record BlockRequestMessage(Hash256 Hash, int MaxCount) : HotStuffMessage;
