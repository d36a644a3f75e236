using Trellis.Core;

namespace Trellis.Ledger.Governance;

// Revoked certificates, in the node registry's storage (0x…1002). A fingerprint is 32 bytes but a slot key holds 20,
// so the lookup table is keyed by the fingerprint's first 20 bytes and points into a list that holds the full value;
// a second fingerprint with the same prefix is refused rather than confused with the first.
internal sealed partial class GovernanceStore
{
    private const byte RevokedAtTable = 7;
    private const byte RevokedIndexTable = 8;
    private const byte RevokedReasonTable = 9;

    private const uint RevocationCountWord = 1;
    private const uint RevokedFieldFingerprint = 0;
    private const uint RevokedFieldEffective = 1;
    private const uint RevokedFieldProposal = 2;

    public int RevocationCount => (int)Math.Min(ReadUInt64(Registry, NodeMeta, RevocationCountWord, Key(0)), GovernanceRules.MaxRevokedCertificates);

    public RevokedCertificate ReadRevocation(int index)
    {
        Address key = Key((ulong)index);
        return new RevokedCertificate(
            new Hash256(Read(Registry, RevokedAtTable, RevokedFieldFingerprint, key).ToBigEndian()),
            ReadString(Registry, RevokedReasonTable, key),
            ReadUInt64(Registry, RevokedAtTable, RevokedFieldProposal, key),
            ReadUInt64(Registry, RevokedAtTable, RevokedFieldEffective, key));
    }

    /// <summary>The revocation recorded under <paramref name="fingerprint"/>'s 20-byte prefix (check its fingerprint), or null.</summary>
    public RevokedCertificate? FindRevocation(in Hash256 fingerprint)
    {
        ulong position = ReadUInt64(Registry, RevokedIndexTable, 0, PrefixKey(fingerprint));
        return position == 0 || position > (ulong)RevocationCount ? null : ReadRevocation((int)(position - 1));
    }

    public void AddRevocation(in Hash256 fingerprint, string reason, ulong proposalId, ulong effectiveHeight)
    {
        int count = RevocationCount;
        Address key = Key((ulong)count);
        Write(Registry, NodeMeta, RevocationCountWord, Key(0), new UInt256((ulong)count + 1));
        Write(Registry, RevokedAtTable, RevokedFieldFingerprint, key, UInt256.FromBigEndian(fingerprint.Bytes));
        Write(Registry, RevokedAtTable, RevokedFieldEffective, key, new UInt256(effectiveHeight));
        Write(Registry, RevokedAtTable, RevokedFieldProposal, key, new UInt256(proposalId));
        WriteString(Registry, RevokedReasonTable, key, reason);
        Write(Registry, RevokedIndexTable, 0, PrefixKey(fingerprint), new UInt256((ulong)count + 1));
    }

    private static Address PrefixKey(in Hash256 fingerprint) => new(fingerprint.Bytes[..Address.Length]);
}
