using System.Buffers.Binary;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.Raft;

/// <summary>
/// What a Raft chain stores in <c>BlockHeader.ConsensusCertificate</c>: the leader's suite signature over
/// (genesis hash, term, log index, block hash). Encoded as version 1 ‖ term (8) ‖ index (8) ‖ leader's validator
/// index (2) ‖ signature. It proves that a genesis validator, as leader of <see cref="Term"/>, placed the block at
/// log index <see cref="Index"/>; it does not prove that a majority stored it. Raft tolerates crashes, not lies:
/// the certificate keeps outsiders and observers from passing off blocks, and among honest validators only
/// committed blocks are ever served by block sync.
/// </summary>
/// <param name="Term">The leader's term.</param>
/// <param name="Index">The block's Raft log index.</param>
/// <param name="Leader">The leader's index in the validator list.</param>
/// <param name="Signature">The leader's signature over <see cref="SigningMessage"/>.</param>
public sealed record RaftCommitCertificate(long Term, long Index, int Leader, byte[] Signature)
{
    private const byte Version = 1;
    private const int FixedLength = 1 + 8 + 8 + 2;
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
    public static RaftCommitCertificate Sign(ICryptoSuite suite, PrivateKey key, Hash256 genesis, long term, long index, int leader, Hash256 blockHash)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(key);
        return new RaftCommitCertificate(term, index, leader, suite.Sign(key, SigningMessage(genesis, term, index, blockHash)));
    }

    /// <summary>The stored encoding.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[FixedLength + Signature.Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), Term);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), Index);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(17), (ushort)Leader);
        Signature.CopyTo(bytes, FixedLength);
        return bytes;
    }

    /// <summary>Parses <see cref="Encode"/>'s output; false with a reason for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, int signatureLength, out RaftCommitCertificate? certificate, out string? error)
    {
        certificate = null;
        if (bytes.Length != FixedLength + signatureLength)
        {
            error = $"raft certificate is {bytes.Length} bytes; expected {FixedLength + signatureLength} (version, term, index, leader, {signatureLength}-byte signature)";
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

        certificate = new RaftCommitCertificate(term, index, BinaryPrimitives.ReadUInt16BigEndian(bytes[17..]), bytes[FixedLength..].ToArray());
        error = null;
        return true;
    }
}
