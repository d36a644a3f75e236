using Trellis.Core;

namespace Trellis.Ledger.Governance;

// The committee contract's storage (0x…1000).
internal sealed partial class GovernanceStore
{
    private const byte CommitteeMeta = 1;
    private const byte MemberAtTable = 2;
    private const byte MemberFields = 3;
    private const byte MemberNameTable = 4;
    private const byte MemberAdminTable = 5;
    private const byte AdminMemberTable = 6;
    private const byte NameMemberTable = 7;

    private const uint MetaMemberCount = 0;
    private const uint MetaNextMemberId = 1;
    private const uint MetaThresholdNumerator = 2;
    private const uint MetaThresholdDenominator = 3;
    private const uint MetaTotalWeight = 4;

    private const uint FieldIndex = 0;
    private const uint FieldWeight = 1;
    private const uint FieldCaFingerprint = 2;
    private const uint FieldAdminCount = 3;

    private static Address Committee => GovernanceAddresses.Committee;

    private ulong CommitteeMetaValue(uint field) => ReadUInt64(Committee, CommitteeMeta, 0, Key(field));

    private void SetCommitteeMeta(uint field, ulong value) => Write(Committee, CommitteeMeta, 0, Key(field), new UInt256(value));

    public int MemberCount => (int)Math.Min(CommitteeMetaValue(MetaMemberCount), GovernanceRules.MaxMembers);

    public ulong TotalWeight => CommitteeMetaValue(MetaTotalWeight);

    public (ulong Numerator, ulong Denominator) Threshold
    {
        get
        {
            ulong denominator = CommitteeMetaValue(MetaThresholdDenominator);
            return denominator == 0
                ? (GovernanceRules.DefaultThresholdNumerator, GovernanceRules.DefaultThresholdDenominator)
                : (CommitteeMetaValue(MetaThresholdNumerator), denominator);
        }
    }

    public void SetThreshold(ulong numerator, ulong denominator)
    {
        SetCommitteeMeta(MetaThresholdNumerator, numerator);
        SetCommitteeMeta(MetaThresholdDenominator, denominator);
    }

    public ulong MemberIdAt(int index) => ReadUInt64(Committee, MemberAtTable, 0, Key((ulong)index));

    public ulong FindMemberByName(string name) => ReadUInt64(Committee, NameMemberTable, 0, NameKey(name));

    public ulong FindMemberByAdmin(in Address admin) => ReadUInt64(Committee, AdminMemberTable, 0, admin);

    public string MemberName(ulong id) => ReadString(Committee, MemberNameTable, Key(id));

    public ulong MemberWeight(ulong id) => ReadUInt64(Committee, MemberFields, FieldWeight, Key(id));

    public GovernanceMember ReadMember(ulong id)
    {
        Address key = Key(id);
        int adminCount = (int)Math.Min(ReadUInt64(Committee, MemberFields, FieldAdminCount, key), GovernanceRules.MaxAdminsPerMember);
        var admins = new Address[adminCount];
        for (int i = 0; i < adminCount; i++)
        {
            admins[i] = AsAddress(Read(Committee, MemberAdminTable, (uint)i, key));
        }

        return new GovernanceMember(
            id,
            MemberName(id),
            new Hash256(Read(Committee, MemberFields, FieldCaFingerprint, key).ToBigEndian()),
            MemberWeight(id),
            admins);
    }

    public ulong AddMember(string name, in Hash256 caFingerprint, IReadOnlyList<Address> admins, ulong weight)
    {
        int count = MemberCount;
        ulong id = CommitteeMetaValue(MetaNextMemberId) + 1;
        Address key = Key(id);
        SetCommitteeMeta(MetaNextMemberId, id);
        SetCommitteeMeta(MetaMemberCount, (ulong)count + 1);
        SetCommitteeMeta(MetaTotalWeight, TotalWeight + weight);
        Write(Committee, MemberAtTable, 0, Key((ulong)count), new UInt256(id));
        Write(Committee, MemberFields, FieldIndex, key, new UInt256((ulong)count + 1));
        Write(Committee, MemberFields, FieldWeight, key, new UInt256(weight));
        Write(Committee, MemberFields, FieldCaFingerprint, key, UInt256.FromBigEndian(caFingerprint.Bytes));
        Write(Committee, MemberFields, FieldAdminCount, key, new UInt256((ulong)admins.Count));
        for (int i = 0; i < admins.Count; i++)
        {
            Write(Committee, MemberAdminTable, (uint)i, key, FromAddress(admins[i]));
            Write(Committee, AdminMemberTable, 0, admins[i], new UInt256(id));
        }

        WriteString(Committee, MemberNameTable, key, name);
        Write(Committee, NameMemberTable, 0, NameKey(name), new UInt256(id));
        return id;
    }

    public void RemoveMember(ulong id)
    {
        Address key = Key(id);
        GovernanceMember member = ReadMember(id);
        int count = MemberCount;
        int index = (int)ReadUInt64(Committee, MemberFields, FieldIndex, key) - 1;

        // Swap-remove from the list: the last member takes the removed one's place.
        ulong lastId = MemberIdAt(count - 1);
        if (index != count - 1)
        {
            Write(Committee, MemberAtTable, 0, Key((ulong)index), new UInt256(lastId));
            Write(Committee, MemberFields, FieldIndex, Key(lastId), new UInt256((ulong)index + 1));
        }

        Write(Committee, MemberAtTable, 0, Key((ulong)count - 1), UInt256.Zero);
        SetCommitteeMeta(MetaMemberCount, (ulong)count - 1);
        SetCommitteeMeta(MetaTotalWeight, TotalWeight - member.Weight);
        for (int i = 0; i < member.Admins.Count; i++)
        {
            Write(Committee, MemberAdminTable, (uint)i, key, UInt256.Zero);
            Write(Committee, AdminMemberTable, 0, member.Admins[i], UInt256.Zero);
        }

        Write(Committee, MemberFields, FieldIndex, key, UInt256.Zero);
        Write(Committee, MemberFields, FieldWeight, key, UInt256.Zero);
        Write(Committee, MemberFields, FieldCaFingerprint, key, UInt256.Zero);
        Write(Committee, MemberFields, FieldAdminCount, key, UInt256.Zero);
        Write(Committee, NameMemberTable, 0, NameKey(member.Name), UInt256.Zero);
        WriteBytes(Committee, MemberNameTable, key, []);
    }

    public void SetMemberWeight(ulong id, ulong weight)
    {
        ulong old = MemberWeight(id);
        Write(Committee, MemberFields, FieldWeight, Key(id), new UInt256(weight));
        SetCommitteeMeta(MetaTotalWeight, TotalWeight - old + weight);
    }

    // The first 20 bytes of Keccak-256 of the UTF-8 name: names map to ids without a scan.
    private static Address NameKey(string name) =>
        new(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(name)).Bytes[..Address.Length]);
}
