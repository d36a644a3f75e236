using Trellis.Core;

namespace Trellis.Ledger.Governance;

// The permissions (0x…1003), contract administration (0x…1004) and chain configuration (0x…1005) storage.
internal sealed partial class GovernanceStore
{
    private const byte MetaTable = 1;
    private const byte RightsTable = 2;
    private const byte FrozenTable = 2;
    private const byte ApprovedTable = 3;
    private const byte SettingTable = 1;

    private static Address Permissions => GovernanceAddresses.Permissions;

    private static Address ContractAdmin => GovernanceAddresses.ContractAdmin;

    private static Address Configuration => GovernanceAddresses.ChainConfig;

    public bool Permissioned => !Read(Permissions, MetaTable, 0, Key(0)).IsZero;

    public void SetPermissioned(bool permissioned) => Write(Permissions, MetaTable, 0, Key(0), permissioned ? UInt256.One : UInt256.Zero);

    public AccountRights RightsOf(in Address account) => (AccountRights)(byte)(ReadUInt64(Permissions, RightsTable, 0, account) & (byte)AccountRights.All);

    public void SetRights(in Address account, AccountRights rights) => Write(Permissions, RightsTable, 0, account, new UInt256((ulong)rights));

    /// <summary>Open chain: anyone. Permissioned: transact or admin right, or a member's admin account (so members can always govern).</summary>
    public bool CanTransact(in Address account) =>
        !Permissioned || (RightsOf(account) & (AccountRights.Transact | AccountRights.Admin)) != 0 || FindMemberByAdmin(account) != 0;

    /// <summary>Open chain: anyone. Permissioned: deploy or admin right.</summary>
    public bool CanDeploy(in Address account) =>
        !Permissioned || (RightsOf(account) & (AccountRights.Deploy | AccountRights.Admin)) != 0;

    public ulong FrozenCount => ReadUInt64(ContractAdmin, MetaTable, 0, Key(0));

    public bool IsFrozen(in Address target) => !Read(ContractAdmin, FrozenTable, 0, target).IsZero;

    public void SetFrozen(in Address target, bool frozen)
    {
        bool was = IsFrozen(target);
        if (was == frozen)
        {
            return;
        }

        Write(ContractAdmin, FrozenTable, 0, target, frozen ? UInt256.One : UInt256.Zero);
        Write(ContractAdmin, MetaTable, 0, Key(0), new UInt256(frozen ? FrozenCount + 1 : FrozenCount - 1));
    }

    public Hash256 ApprovedCodeHash(in Address target) => new(Read(ContractAdmin, ApprovedTable, 0, target).ToBigEndian());

    public void SetApprovedCodeHash(in Address target, in Hash256 codeHash) =>
        Write(ContractAdmin, ApprovedTable, 0, target, UInt256.FromBigEndian(codeHash.Bytes));

    public ulong Setting(ChainSetting setting) => ReadUInt64(Configuration, SettingTable, 0, Key((ulong)setting));

    public void SetSetting(ChainSetting setting, ulong value) => Write(Configuration, SettingTable, 0, Key((ulong)setting), new UInt256(value));

    public ulong ProposalLifetimeBlocks
    {
        get
        {
            ulong value = Setting(ChainSetting.ProposalLifetimeBlocks);
            return value == 0 ? GovernanceRules.DefaultProposalLifetimeBlocks : value;
        }
    }

    /// <summary>The slot of the permissioned flag in 0x…1003 (read directly on the execution path).</summary>
    public static readonly UInt256 PermissionedSlot = Slot(MetaTable, 0, Key(0));

    /// <summary>The slot of the frozen-contract count in 0x…1004 (zero: no call needs a per-contract check).</summary>
    public static readonly UInt256 FrozenCountSlot = Slot(MetaTable, 0, Key(0));

    /// <summary>The slot of a contract's frozen flag in 0x…1004.</summary>
    public static UInt256 FrozenSlot(in Address target) => Slot(FrozenTable, 0, target);
}
