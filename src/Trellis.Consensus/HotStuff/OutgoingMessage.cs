using Trellis.Consensus.HotStuff.Messages;

namespace Trellis.Consensus.HotStuff;

/// <summary>A message the replica wants sent: to one validator, or to every other validator when <see cref="To"/> is <see cref="Broadcast"/>.</summary>
/// <param name="To">The recipient's index, or <see cref="Broadcast"/>.</param>
/// <param name="Message">The message.</param>
public readonly record struct OutgoingMessage(int To, HotStuffMessage Message)
{
    /// <summary>The recipient value meaning every validator except the sender.</summary>
    public const int Broadcast = -1;
}
