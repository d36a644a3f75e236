using Trellis.Evm.SystemContracts;

namespace Trellis.Ledger.Governance;

/// <summary>ICommittee at 0x…1000 (views only; changes come from executed proposals).</summary>
internal sealed class CommitteeContract : NativeContract
{
    public CommitteeContract()
        : base(GovernanceAddresses.Committee, "ICommittee", "memberCount()", "memberAt(uint64)", "memberOf(address)", "isMember(string)", "totalWeight()", "threshold()")
    {
    }

    protected override byte[] Run(string signature, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call)
    {
        var abi = new AbiReader(arguments);
        switch (signature)
        {
            case "memberCount()":
                return Word((ulong)store.MemberCount);
            case "memberAt(uint64)":
                {
                    ulong index = abi.UInt64(0, "index");
                    int count = store.MemberCount;
                    if (index >= (ulong)count)
                    {
                        throw new GovernanceRevertException($"member index {index} is out of range ({count} members)");
                    }

                    GovernanceMember member = store.ReadMember(store.MemberIdAt((int)index));
                    return new AbiWriter().String(member.Name).Bytes32(member.CaFingerprint).UInt(member.Weight).AddressArray(member.Admins).ToArray();
                }

            case "memberOf(address)":
                {
                    ulong id = store.FindMemberByAdmin(abi.Address(0, "admin"));
                    return new AbiWriter().String(id == 0 ? string.Empty : store.MemberName(id)).ToArray();
                }

            case "isMember(string)":
                return Word(store.FindMemberByName(abi.String(0, "name", GovernanceRules.MaxPayloadBytes)) != 0);
            case "totalWeight()":
                return Word(store.TotalWeight);
            default:
                (ulong numerator, ulong denominator) = store.Threshold;
                return new AbiWriter().UInt(numerator).UInt(denominator).ToArray();
        }
    }
}
