using System.Buffers.Binary;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// The exact bytes validators sign. Each starts with its own domain tag and the chain's genesis hash, so a vote can
/// never be replayed as a timeout or a proposal, nor on another chain.
/// </summary>
public static class SigningMessages
{
    private static readonly byte[] s_vote = Encoding.ASCII.GetBytes("trellis/hotstuff/vote/v1");
    private static readonly byte[] s_proposal = Encoding.ASCII.GetBytes("trellis/hotstuff/proposal/v1");
    private static readonly byte[] s_timeout = Encoding.ASCII.GetBytes("trellis/hotstuff/timeout/v1");
    private static readonly byte[] s_epoch = Encoding.ASCII.GetBytes("trellis/hotstuff/epoch/v1");

    /// <summary>
    /// The signing domain of an epoch: the chain's genesis hash for the genesis set (epoch 0), otherwise the suite hash
    /// of tag ‖ genesis hash ‖ the epoch's first ledger height (8 bytes, big-endian). Signatures of one epoch's
    /// validators never verify in another epoch, even when the sets share members and views repeat.
    /// </summary>
    public static Hash256 EpochDomain(ICryptoSuite suite, Hash256 genesis, ulong epoch)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (epoch == 0)
        {
            return genesis;
        }

        var message = new byte[s_epoch.Length + 32 + 8];
        s_epoch.CopyTo(message, 0);
        genesis.Bytes.CopyTo(message.AsSpan(s_epoch.Length));
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(s_epoch.Length + 32), epoch);
        return suite.Hash(message);
    }

    /// <summary>A vote: tag ‖ chain ‖ view ‖ block hash.</summary>
    public static byte[] Vote(Hash256 chain, long view, Hash256 blockHash) => Build(s_vote, chain, view, blockHash);

    /// <summary>A proposal, signed by the view's leader: tag ‖ chain ‖ view ‖ block hash.</summary>
    public static byte[] Proposal(Hash256 chain, long view, Hash256 blockHash) => Build(s_proposal, chain, view, blockHash);

    /// <summary>A timeout: tag ‖ chain ‖ view ‖ high QC view (8 bytes) ‖ 24 zero bytes.</summary>
    public static byte[] Timeout(Hash256 chain, long view, long highQcView)
    {
        Span<byte> tail = stackalloc byte[32];
        tail.Clear();
        BinaryPrimitives.WriteInt64BigEndian(tail, highQcView);
        return Build(s_timeout, chain, view, new Hash256(tail));
    }

    private static byte[] Build(byte[] tag, Hash256 chain, long view, Hash256 value)
    {
        var message = new byte[tag.Length + 32 + 8 + 32];
        tag.CopyTo(message, 0);
        chain.Bytes.CopyTo(message.AsSpan(tag.Length));
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(tag.Length + 32), view);
        value.Bytes.CopyTo(message.AsSpan(tag.Length + 40));
        return message;
    }
}
