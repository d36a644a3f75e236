using Trellis.Core;
using Trellis.Evm.SystemContracts;

namespace Trellis.Ledger.Governance;

/// <summary>INodeRegistry at 0x…1002 (views only): registered nodes and revoked certificates.</summary>
internal sealed class NodeRegistryContract : NativeContract
{
    public NodeRegistryContract()
        : base(GovernanceAddresses.NodeRegistry, "INodeRegistry", "nodeCount()", "nodeAt(uint64)", "getNode(address)", "roleAt(address,uint64)", "isRevoked(bytes32)", "revokedCount()", "revokedAt(uint64)")
    {
    }

    protected override byte[] Run(string signature, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call)
    {
        var abi = new AbiReader(arguments);
        switch (signature)
        {
            case "nodeCount()":
                return Word((ulong)store.NodeCount);
            case "nodeAt(uint64)":
                {
                    ulong index = abi.UInt64(0, "index");
                    int count = store.NodeCount;
                    return index < (ulong)count
                        ? new AbiWriter().Address(store.NodeAt((int)index)).ToArray()
                        : throw new GovernanceRevertException($"node index {index} is out of range ({count} nodes)");
                }

            case "getNode(address)":
                {
                    Address address = abi.Address(0, "signingAddress");
                    RegisteredNode node = store.ReadNode(address) ?? throw new GovernanceRevertException($"node {address} is not registered");
                    return new AbiWriter()
                        .String(node.Name)
                        .String(node.Org)
                        .UInt((ulong)node.Role)
                        .UInt((ulong)node.PreviousRole)
                        .UInt(node.ActivationHeight)
                        .Bytes(node.PublicKey)
                        .Bytes32(node.TlsFingerprint)
                        .ToArray();
                }

            case "isRevoked(bytes32)":
                {
                    // Revoked for the block being executed (eth_call: the next block), as nodes decide admission.
                    Hash256 fingerprint = abi.Bytes32(0, "fingerprint");
                    return Word(store.FindRevocation(fingerprint) is { } revoked && revoked.Fingerprint == fingerprint && revoked.IsEffectiveAt(call.Block.Number));
                }

            case "revokedCount()":
                return Word((ulong)store.RevocationCount);
            case "revokedAt(uint64)":
                {
                    ulong index = abi.UInt64(0, "index");
                    int count = store.RevocationCount;
                    if (index >= (ulong)count)
                    {
                        throw new GovernanceRevertException($"revocation index {index} is out of range ({count} revoked certificates)");
                    }

                    RevokedCertificate revoked = store.ReadRevocation((int)index);
                    return new AbiWriter().Bytes32(revoked.Fingerprint).String(revoked.Reason).UInt(revoked.ProposalId).UInt(revoked.EffectiveHeight).ToArray();
                }

            default:
                return Word((ulong)store.RoleAt(abi.Address(0, "signingAddress"), abi.UInt64(1, "height")));
        }
    }
}
