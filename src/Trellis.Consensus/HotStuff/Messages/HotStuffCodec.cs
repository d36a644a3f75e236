using Google.Protobuf;
using Trellis.Consensus.HotStuff.Messages.Wire;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff.Messages;

/// <summary>
/// Encodes HotStuff messages as protobuf (<c>hotstuff.proto</c>) and decodes them strictly: a message larger than
/// the limit, a hash that is not 32 bytes, a validator index outside the set, more signatures than validators, an
/// oversized signature or payload, a negative view or height, or a block response longer than allowed is refused
/// with a reason naming the field and the value. Decoding never throws. Thread-safe (no mutable state).
/// </summary>
public sealed class HotStuffCodec
{
    /// <summary>Longest signature accepted (SM2 with its public key is 128 bytes; secp256k1 65).</summary>
    public const int MaxSignatureLength = 256;

    private readonly ICryptoSuite _suite;
    private readonly int _validators;
    private readonly int _maxMessageBytes;
    private readonly int _maxBlocksPerResponse;

    /// <summary>A codec for a set of <paramref name="validatorCount"/> validators signing and hashing with <paramref name="suite"/>.</summary>
    public HotStuffCodec(ICryptoSuite suite, int validatorCount, int maxMessageBytes = 64 * 1024 * 1024, int maxBlocksPerResponse = 16)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentOutOfRangeException.ThrowIfLessThan(validatorCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlocksPerResponse, 1);
        _suite = suite;
        _validators = validatorCount;
        _maxMessageBytes = maxMessageBytes;
        _maxBlocksPerResponse = maxBlocksPerResponse;
    }

    /// <summary>The largest encoded message accepted.</summary>
    public int MaxMessageBytes => _maxMessageBytes;

    /// <summary>Encodes a message of the genesis epoch.</summary>
    /// <exception cref="ArgumentException">The message is not one of the five HotStuff messages.</exception>
    public static byte[] Encode(HotStuffMessage message) => Encode(message, 0);

    /// <summary>Encodes a message sent by a replica of <paramref name="epoch"/> (the first ledger height of its set).</summary>
    /// <exception cref="ArgumentException">The message is not one of the five HotStuff messages.</exception>
    public static byte[] Encode(HotStuffMessage message, ulong epoch)
    {
        ArgumentNullException.ThrowIfNull(message);
        var envelope = new HotStuffEnvelope { Epoch = epoch };
        switch (message)
        {
            case ProposalMessage proposal:
                envelope.Proposal = new WireProposal { Block = ToWire(proposal.Block), Signature = Bytes(proposal.Signature) };
                if (proposal.Tc is not null)
                {
                    envelope.Proposal.Tc = ToWire(proposal.Tc);
                }

                break;
            case VoteMessage vote:
                envelope.Vote = new WireVote { View = vote.View, BlockHash = Bytes(vote.BlockHash.Bytes), Validator = (uint)vote.Validator, Signature = Bytes(vote.Signature) };
                break;
            case TimeoutMessage timeout:
                envelope.Timeout = new WireTimeout { View = timeout.View, Validator = (uint)timeout.Validator, HighQc = ToWire(timeout.HighQc), Signature = Bytes(timeout.Signature) };
                if (timeout.EntryTc is not null)
                {
                    envelope.Timeout.EntryTc = ToWire(timeout.EntryTc);
                }

                break;
            case BlockRequestMessage request:
                envelope.BlockRequest = new WireBlockRequest { Hash = Bytes(request.Hash.Bytes), MaxCount = (uint)Math.Max(0, request.MaxCount) };
                break;
            case BlockResponseMessage response:
                envelope.BlockResponse = new WireBlockResponse();
                foreach (var block in response.Blocks)
                {
                    envelope.BlockResponse.Blocks.Add(ToWire(block));
                }

                break;
            default:
                throw new ArgumentException($"cannot encode message type {message.GetType().Name}", nameof(message));
        }

        return envelope.ToByteArray();
    }

    /// <summary>Decodes one message; false with the reason when the bytes are not a valid HotStuff message.</summary>
    public bool TryDecode(ReadOnlySpan<byte> bytes, out HotStuffMessage? message, out string? error) => TryDecode(bytes, out message, out _, out error);

    /// <summary>
    /// Decodes one message and the sender's epoch; false with the reason when the bytes are not a valid HotStuff message.
    /// The epoch is read even when the body is refused (a body of another epoch may name validators of another set).
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> bytes, out HotStuffMessage? message, out ulong epoch, out string? error)
    {
        message = null;
        epoch = 0;
        if (bytes.Length > _maxMessageBytes)
        {
            error = $"HotStuff message of {bytes.Length} bytes exceeds the limit of {_maxMessageBytes}";
            return false;
        }

        HotStuffEnvelope envelope;
        try
        {
            envelope = HotStuffEnvelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            error = $"HotStuff message of {bytes.Length} bytes is not valid protobuf: {e.Message}";
            return false;
        }

        epoch = envelope.Epoch;
        try
        {
            message = envelope.BodyCase switch
            {
                HotStuffEnvelope.BodyOneofCase.Proposal => ReadProposal(envelope.Proposal),
                HotStuffEnvelope.BodyOneofCase.Vote => ReadVote(envelope.Vote),
                HotStuffEnvelope.BodyOneofCase.Timeout => ReadTimeout(envelope.Timeout),
                HotStuffEnvelope.BodyOneofCase.BlockRequest => ReadRequest(envelope.BlockRequest),
                HotStuffEnvelope.BodyOneofCase.BlockResponse => ReadResponse(envelope.BlockResponse),
                _ => throw new WireException("HotStuff message has no body (expected proposal, vote, timeout, block request or block response)"),
            };
        }
        catch (WireException e)
        {
            error = e.Message;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Encodes a commit certificate for <see cref="Ledger.Blocks.BlockHeader.ConsensusCertificate"/>.</summary>
    public static byte[] EncodeCertificate(HotStuffCommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var wire = new CommitCertificate
        {
            Version = HotStuffCommitCertificate.Version,
            ParentHash = Bytes(certificate.ParentHash.Bytes),
            View = certificate.View,
            JustifyView = certificate.JustifyView,
            Epoch = certificate.Epoch,
        };
        foreach (var signature in certificate.Signatures)
        {
            wire.Signatures.Add(new WireSignature { Validator = (uint)signature.Validator, Signature = Bytes(signature.Signature) });
        }

        return wire.ToByteArray();
    }

    /// <summary>Decodes a commit certificate; false with the reason when it is malformed (its signatures are not checked here).</summary>
    public bool TryDecodeCertificate(ReadOnlySpan<byte> bytes, out HotStuffCommitCertificate? certificate, out string? error)
    {
        certificate = null;
        if (bytes.Length == 0)
        {
            error = "the block carries no consensus certificate";
            return false;
        }

        if (bytes.Length > 64 * 1024)
        {
            error = $"commit certificate of {bytes.Length} bytes exceeds the limit of {64 * 1024}";
            return false;
        }

        try
        {
            var wire = CommitCertificate.Parser.ParseFrom(bytes);
            if (wire.Version != HotStuffCommitCertificate.Version)
            {
                throw new WireException($"commit certificate version {wire.Version} is not {HotStuffCommitCertificate.Version}");
            }

            if (wire.View < 1)
            {
                throw new WireException($"commit certificate view {wire.View} must be at least 1");
            }

            if (wire.JustifyView < 0 || wire.JustifyView >= wire.View)
            {
                throw new WireException($"commit certificate justify view {wire.JustifyView} must be in [0, {wire.View})");
            }

            certificate = new HotStuffCommitCertificate(Hash(wire.ParentHash, "certificate parent hash"), wire.View, wire.JustifyView, Signatures(wire.Signatures, "certificate"), wire.Epoch);
        }
        catch (InvalidProtocolBufferException e)
        {
            error = $"commit certificate of {bytes.Length} bytes is not valid protobuf: {e.Message}";
            return false;
        }
        catch (WireException e)
        {
            error = e.Message;
            return false;
        }

        error = null;
        return true;
    }

    private ProposalMessage ReadProposal(WireProposal wire)
    {
        if (wire.Block is null)
        {
            throw new WireException("proposal has no block");
        }

        var block = ReadBlock(wire.Block, "proposal block");
        var tc = wire.Tc is null ? null : ReadTc(wire.Tc, "proposal TC");
        return new ProposalMessage(block, tc, Signature(wire.Signature, "proposal"));
    }

    private VoteMessage ReadVote(WireVote wire) =>
        new(View(wire.View, "vote"), Hash(wire.BlockHash, "vote block hash"), Validator(wire.Validator, "vote"), Signature(wire.Signature, "vote"));

    private TimeoutMessage ReadTimeout(WireTimeout wire)
    {
        if (wire.HighQc is null)
        {
            throw new WireException("timeout has no high QC");
        }

        return new TimeoutMessage(
            View(wire.View, "timeout"),
            Validator(wire.Validator, "timeout"),
            ReadQc(wire.HighQc, "timeout high QC"),
            wire.EntryTc is null ? null : ReadTc(wire.EntryTc, "timeout entry TC"),
            Signature(wire.Signature, "timeout"));
    }

    private static BlockRequestMessage ReadRequest(WireBlockRequest wire)
    {
        if (wire.MaxCount is 0 or > 1024)
        {
            throw new WireException($"block request max count {wire.MaxCount} must be in [1, 1024]");
        }

        return new BlockRequestMessage(Hash(wire.Hash, "block request hash"), (int)wire.MaxCount);
    }

    private BlockResponseMessage ReadResponse(WireBlockResponse wire)
    {
        if (wire.Blocks.Count > _maxBlocksPerResponse)
        {
            throw new WireException($"block response carries {wire.Blocks.Count} blocks; at most {_maxBlocksPerResponse} are accepted");
        }

        var blocks = new HotStuffBlock[wire.Blocks.Count];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = ReadBlock(wire.Blocks[i], $"response block {i}");
        }

        return new BlockResponseMessage(blocks);
    }

    private HotStuffBlock ReadBlock(WireBlock wire, string what)
    {
        if (wire.Justify is null)
        {
            throw new WireException($"{what} has no justify QC");
        }

        long view = View(wire.View, what);
        if (wire.Height < 1)
        {
            throw new WireException($"{what} height {wire.Height} must be at least 1 (genesis is never sent)");
        }

        var justify = ReadQc(wire.Justify, $"{what} justify");
        return HotStuffBlock.FromParts(_suite, Hash(wire.ParentHash, $"{what} parent hash"), view, wire.Height, wire.Payload.Span, Hash(wire.StateRoot, $"{what} state root"), justify);
    }

    private QuorumCertificate ReadQc(WireQc wire, string what)
    {
        if (wire.View < 0)
        {
            throw new WireException($"{what} view {wire.View} is negative");
        }

        return new QuorumCertificate(wire.View, Hash(wire.BlockHash, $"{what} block hash"), Signatures(wire.Signatures, what));
    }

    private TimeoutCertificate ReadTc(WireTc wire, string what)
    {
        View(wire.View, what);
        if (wire.Signatures.Count > _validators)
        {
            throw new WireException($"{what} has {wire.Signatures.Count} signatures but there are only {_validators} validators");
        }

        var signatures = new TimeoutSignature[wire.Signatures.Count];
        for (int i = 0; i < signatures.Length; i++)
        {
            var signature = wire.Signatures[i];
            if (signature.HighQcView < 0)
            {
                throw new WireException($"{what} signature {i} reports negative high QC view {signature.HighQcView}");
            }

            signatures[i] = new TimeoutSignature(Validator(signature.Validator, what), signature.HighQcView, Signature(signature.Signature, what));
        }

        return new TimeoutCertificate(wire.View, signatures);
    }

    private ValidatorSignature[] Signatures(Google.Protobuf.Collections.RepeatedField<WireSignature> wire, string what)
    {
        if (wire.Count > _validators)
        {
            throw new WireException($"{what} has {wire.Count} signatures but there are only {_validators} validators");
        }

        var signatures = new ValidatorSignature[wire.Count];
        for (int i = 0; i < signatures.Length; i++)
        {
            signatures[i] = new ValidatorSignature(Validator(wire[i].Validator, what), Signature(wire[i].Signature, what));
        }

        return signatures;
    }

    private int Validator(uint index, string what) =>
        index < (uint)_validators ? (int)index : throw new WireException($"{what} names validator {index}, outside [0, {_validators})");

    private static long View(long view, string what) =>
        view >= 1 ? view : throw new WireException($"{what} view {view} must be at least 1");

    private static Hash256 Hash(ByteString bytes, string what) =>
        bytes.Length == Hash256.Length ? new Hash256(bytes.Span) : throw new WireException($"{what} is {bytes.Length} bytes; a hash is exactly {Hash256.Length}");

    private static byte[] Signature(ByteString bytes, string what) =>
        bytes.Length is > 0 and <= MaxSignatureLength
            ? bytes.ToByteArray()
            : throw new WireException($"{what} signature is {bytes.Length} bytes; expected 1 to {MaxSignatureLength}");

    private static ByteString Bytes(ReadOnlySpan<byte> bytes) => ByteString.CopyFrom(bytes);

    private static ByteString Bytes(byte[] bytes) => UnsafeByteOperations.UnsafeWrap(bytes);

    private static WireBlock ToWire(HotStuffBlock block) => new()
    {
        ParentHash = Bytes(block.ParentHash.Bytes),
        View = block.View,
        Height = block.Height,
        Payload = UnsafeByteOperations.UnsafeWrap(block.Payload),
        StateRoot = Bytes(block.StateRoot.Bytes),
        Justify = ToWire(block.Justify),
    };

    private static WireQc ToWire(QuorumCertificate qc)
    {
        var wire = new WireQc { View = qc.View, BlockHash = Bytes(qc.BlockHash.Bytes) };
        foreach (var signature in qc.Signatures)
        {
            wire.Signatures.Add(new WireSignature { Validator = (uint)signature.Validator, Signature = Bytes(signature.Signature) });
        }

        return wire;
    }

    private static WireTc ToWire(TimeoutCertificate tc)
    {
        var wire = new WireTc { View = tc.View };
        foreach (var signature in tc.Signatures)
        {
            wire.Signatures.Add(new WireTimeoutSignature { Validator = (uint)signature.Validator, HighQcView = signature.HighQcView, Signature = Bytes(signature.Signature) });
        }

        return wire;
    }

    private sealed class WireException(string message) : Exception(message);
}
