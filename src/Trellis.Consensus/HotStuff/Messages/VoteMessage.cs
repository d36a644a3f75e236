using Trellis.Core;

namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>A validator's vote for a block, sent only to the next view's leader (linear communication).</summary>
/// <param name="View">The block's view.</param>
/// <param name="BlockHash">The block voted for.</param>
/// <param name="Validator">The voter's index.</param>
/// <param name="Signature">The voter's signature over <see cref="SigningMessages.Vote"/>.</param>
public sealed record VoteMessage(long View, Hash256 BlockHash, int Validator, byte[] Signature) : HotStuffMessage;
