using Trellis.Core;

namespace Trellis.Consensus;

/// <summary>
/// The peer network as a consensus engine sees it: validators are addressed by their ledger signing address (the
/// address in their node certificate). The node implements it over <c>Trellis.Network</c>; tests implement it in
/// memory. Delivery is best effort: consensus tolerates loss, so a full queue or a missing peer drops the message.
/// Implementations are thread-safe.
/// </summary>
public interface IConsensusNetwork
{
    /// <summary>Sends one consensus message to the validator with signing address <paramref name="validator"/>; false when it is not connected or its send queue is full.</summary>
    bool Send(Address validator, ReadOnlyMemory<byte> message);

    /// <summary>Sends one consensus message to every connected validator; returns how many it was queued for.</summary>
    int Broadcast(ReadOnlyMemory<byte> message);
}
