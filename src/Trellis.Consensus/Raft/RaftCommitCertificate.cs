using System.Buffers.Binary;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.Raft;

/// <summary>
/// What a Raft chain stores in <c>BlockHeader.ConsensusCertificate</c>: the leader's suite signature over
/// (genesis hash, term, log index, block hash). Encoded as version 2 ‖ term (8) ‖ index (8) ‖ signature; the leader
/// is the block's proposer, whose key the signature recovers (version 1 also named the leader's genesis index, which
/// means nothing once the validator set changes). It proves that the proposer, which must be a validator of the
/// block's height, placed the block at log index <see cref="Index"/> as leader of <see cref="Term"/>; it does not
/// prove that a majority stored it. Raft tolerates crashes, not lies:
/// the certificate keeps outsiders and observers from passing off blocks, and among honest validators only
/// committed blocks are ever served by block sync.
/// </summary>
/// <param name="Term">The leader's term.</param>
/// <param name="Index">The block's Raft log index.</param>
/// <param name="Signature">The leader's signature over <see cref="SigningMessage"/>.</param>
public sealed record RaftCommitCertificate(long Term, long Index, byte[] Signature)
{
    private const byte Version = 2;
    private const int FixedLength = 1 + 8 + 8;
    private static readonly byte[] s_tag = Encoding.ASCII.GetBytes("trellis/raft/block/v1");

    /// <summary>The bytes the leader signs: tag ‖ genesis hash ‖ term ‖ index ‖ block hash.</summary>
    public static byte[] SigningMessage(Hash256 genesis, long term, long index, Hash256 blockHash)
    {
        var message = new byte[s_tag.Length + 32 + 8 + 8 + 32];
        s_tag.CopyTo(message, 0);
        genesis.Bytes.CopyTo(message.AsSpan(s_tag.Length));
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(s_tag.Length + 32), term);
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(s_tag.Length + 40), index);
        blockHash.Bytes.CopyTo(message.AsSpan(s_tag.Length + 48));
        return message;
    }

    /// <summary>Signs a certificate for a block as the leader.</summary>
    public static RaftCommitCertificate Sign(ICryptoSuite suite, PrivateKey key, Hash256 genesis, long term, long index, Hash256 blockHash)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(key);
        return new RaftCommitCertificate(term, index, suite.Sign(key, SigningMessage(genesis, term, index, blockHash)));
    }

    /// <summary>The stored encoding.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[FixedLength + Signature.Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), Term);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), Index);
        Signature.CopyTo(bytes, FixedLength);
        return bytes;
    }

    /// <summary>Parses <see cref="Encode"/>'s output; false with a reason for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, int signatureLength, out RaftCommitCertificate? certificate, out string? error)
    {
        certificate = null;
        if (bytes.Length != FixedLength + signatureLength)
        {
            error = $"raft certificate is {bytes.Length} bytes; expected {FixedLength + signatureLength} (version, term, index, {signatureLength}-byte signature)";
            return false;
        }

        if (bytes[0] != Version)
        {
            error = $"raft certificate has version {bytes[0]}; expected {Version}";
            return false;
        }

        long term = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        long index = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        if (term < 1 || index < 1)
        {
            error = $"raft certificate names term {term} and index {index}; both must be at least 1";
            return false;
        }

        certificate = new RaftCommitCertificate(term, index, bytes[FixedLength..].ToArray());
        error = null;
        return true;
    }
}
