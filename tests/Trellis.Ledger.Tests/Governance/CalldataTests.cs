using System.Text.Json;
using Trellis.Core;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Tests.Execution;
using Trellis.Sdk.Abi;

namespace Trellis.Ledger.Tests.Governance;

/// <summary>The ABI surface: every solc selector is answered; malformed or hostile calldata reverts cleanly and changes nothing.</summary>
public sealed class CalldataTests
{
    private static readonly Dictionary<string, Address> AddressOfInterface = new()
    {
        ["ICommittee"] = GovernanceAddresses.Committee,
        ["IGovernance"] = GovernanceAddresses.Governance,
        ["INodeRegistry"] = GovernanceAddresses.NodeRegistry,
        ["IPermissions"] = GovernanceAddresses.Permissions,
        ["IContractAdmin"] = GovernanceAddresses.ContractAdmin,
        ["IChainConfig"] = GovernanceAddresses.ChainConfig,
    };

    [Fact]
    public void EveryFunctionInTheSolcOutputIsAnsweredAtItsAddressWithSolcsSelector()
    {
        using JsonDocument selectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestChain.RepositoryRoot(), "contracts", "abi", "selectors.json")));
        IReadOnlyDictionary<Address, IReadOnlyList<string>> functions = GovernanceContracts.Instance.Functions;

        foreach (JsonProperty contract in selectors.RootElement.EnumerateObject())
        {
            Address address = AddressOfInterface[contract.Name];
            var expected = contract.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal(expected.Keys.Order(), functions[address].Order());
            foreach ((string signature, string? selector) in expected)
            {
                Assert.Equal(selector, NativeContract.Selector(signature).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(6, selectors.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void Genesis_ViewsReportTheSeededState()
    {
        using var chain = new GovernanceChain();

        Assert.Equal(new UInt256(3), chain.View(GovernanceAddresses.Committee, "memberCount")[0]);
        Assert.Equal([new UInt256(2), new UInt256(3)], chain.View(GovernanceAddresses.Committee, "threshold"));
        Assert.Equal(true, chain.View(GovernanceAddresses.Committee, "isMember", "org2")[0]);
        Assert.Equal(false, chain.View(GovernanceAddresses.Committee, "isMember", "org9")[0]);
        Assert.Equal(new UInt256(3), chain.View(GovernanceAddresses.NodeRegistry, "nodeCount")[0]);
        Assert.Equal(chain.Nodes[1].Address, chain.View(GovernanceAddresses.NodeRegistry, "nodeAt", 1UL)[0]);
        object?[] node = chain.View(GovernanceAddresses.NodeRegistry, "getNode", chain.Nodes[1].Address);
        Assert.Equal(("org2-node1", "org2", new UInt256(1)), (node[0], node[1], node[2]));
        Assert.Equal(Enumerable.Repeat((byte)0xbb, 32).ToArray(), node[6]);
        Assert.Equal(64, ((byte[])node[5]!).Length);
        Assert.Equal(false, chain.View(GovernanceAddresses.Permissions, "permissioned")[0]);
        Assert.Equal(true, chain.View(GovernanceAddresses.Permissions, "canDeploy", chain.Outsider.Address)[0]);
        Assert.Equal(new UInt256(0), chain.View(GovernanceAddresses.Governance, "proposalCount")[0]);
        Assert.Equal(new UInt256(0), chain.View(GovernanceAddresses.ChainConfig, "valueOf", "blockIntervalMs")[0]);
    }

    public static TheoryData<string, string, string> Malformed()
    {
        string vote = Hex.Encode(GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "vote", 1UL, true))[2..];
        string addMember = Hex.Encode(GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "proposeAddMember", "org9", new byte[32], new object[] { Address.Parse("0x00000000000000000000000000000000000000aa") }))[2..];
        string selector = addMember[..8];
        string Word(UInt256 value) => value.ToHexString()[2..].PadLeft(64, '0');
        return new TheoryData<string, string, string>
        {
            { "empty", string.Empty, "calldata of 0 bytes has no 4-byte function selector" },
            { "short selector", "c7f2", "calldata of 2 bytes has no 4-byte function selector" },
            { "unknown selector", "deadbeef", "unknown function selector 0xdeadbeef" },
            { "truncated arguments", vote[..(8 + 64 + 10)], "calldata too short" },
            { "bool out of range", vote[..(8 + 64)] + Word(new UInt256(2)), "is not a bool" },
            { "uint64 out of range", Word(UInt256.MaxValue).Insert(0, vote[..8]) + Word(UInt256.One), "does not fit uint64" },
            { "huge string length", selector + Word(new UInt256(0x60)) + new string('0', 64) + Word(new UInt256(0xa0)) + Word(UInt256.MaxValue) + Word(UInt256.One), "length" },
            { "string offset far away", selector + Word(UInt256.MaxValue) + new string('0', 64) + Word(new UInt256(0xa0)), "offset" },
            { "string past the end", selector + Word(new UInt256(0x60)) + new string('0', 64) + Word(new UInt256(0xa0)) + Word(new UInt256(40)) + Word(UInt256.One), "run past" },
            { "address array count huge", addMember[..(8 + 128)] + Word(new UInt256(0x60 + 0x40)) + addMember[(8 + 192)..(8 + 320)] + Word(new UInt256(1UL << 40)), "exceeds the limit" },
            { "dirty address", addMember[..(8 + 64 * 6)] + "ff" + addMember[(8 + 64 * 6 + 2)..], "is not an address" },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedCalldata_RevertsWithAReasonAndChangesNothing(string what, string calldataHex, string reason)
    {
        using var chain = new GovernanceChain();
        chain.Propose(0, "proposeSetPermissioned", true);
        Hash256 before = chain.Chain.Blocks.Head!.StateRoot;

        ExecutedTransaction sent = chain.Send(chain.Admins[1], GovernanceAddresses.Governance, Hex.Decode("0x" + calldataHex));

        Assert.False(sent.Receipt.Success, what);
        Assert.Equal("revert", sent.ExecutionError);
        Assert.Contains(reason, GovernanceChain.RevertMessage(sent), StringComparison.Ordinal);
        Assert.Empty(sent.Receipt.Logs);
        Assert.Equal(1UL, chain.State.ProposalCount);
        Assert.Equal(1UL, chain.State.GetProposal(1, chain.Height)!.YesWeight);

        // Only the sender's nonce and balance moved (no gas price, so only the nonce): the governance accounts did not.
        var previous = new Trellis.State.WorldState(chain.Chain.Store, chain.Config.Suite, before);
        foreach (Address address in GovernanceAddresses.All)
        {
            Assert.Equal(previous.GetCodeHash(address), chain.Chain.OpenState().GetCodeHash(address));
        }
    }

    [Fact]
    public void StaticCall_ToAStateChangingFunctionReverts()
    {
        using var chain = new GovernanceChain();
        // A contract that STATICCALLs the governance contract with its own calldata and returns what came back:
        // CALLDATACOPY(0, 0, size); STATICCALL(gas, 0x1001, 0, size, 0, 0); POP; RETURNDATACOPY(0, 0, rds); RETURN(0, rds).
        byte[] runtime = Hex.Decode("0x366000600037" + "600060003660006110015afa" + "50" + "3d600060003e" + "3d6000f3");
        // Init code: CODECOPY(0, 12, length); RETURN(0, length), followed by the runtime.
        byte[] init = [0x60, (byte)runtime.Length, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, (byte)runtime.Length, 0x60, 0x00, 0xf3, .. runtime];
        Address proxy = Erc20.CreatedAddress(chain.Admins[0].Address, 0);
        Assert.True(chain.Send(chain.Admins[0], null, init).Receipt.Success);

        // The contract acts for a member (as a multi-signature wallet would), so only the static rule stops it.
        chain.Pass("proposeAddMember", "org4", new byte[32], new object[] { proxy });

        ExecutedTransaction sent = chain.Send(chain.Admins[0], proxy, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "proposeSetPermissioned", true));

        Assert.True(sent.Receipt.Success, sent.ExecutionError);
        Assert.Contains("static context", RevertReason.Decode(sent.Output).Message, StringComparison.Ordinal);
        Assert.Equal(1UL, chain.State.ProposalCount);
    }

    [Fact]
    public void Value_SentToAGovernanceContractReverts()
    {
        using var chain = new GovernanceChain();
        var transaction = chain.Admins[0].Sign(new Trellis.Ledger.Transactions.TransactionBuilder
        {
            Type = Trellis.Ledger.Transactions.TxType.DynamicFee,
            ChainId = TestChain.ChainId,
            Nonce = 0,
            GasLimit = 1_000_000,
            To = GovernanceAddresses.Governance,
            Value = new UInt256(5),
            Data = GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "proposeSetPermissioned", true),
        });

        ExecutedTransaction sent = Assert.Single(chain.Append(transaction).Transactions);

        Assert.Equal("IGovernance does not accept value (sent 5 wei)", GovernanceChain.RevertMessage(sent));
        Assert.Equal(UInt256.Zero, chain.Chain.OpenState().GetBalance(GovernanceAddresses.Governance));
    }

    [Fact]
    public void TooLittleGas_RunsOutWithoutSideEffects()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction sent = chain.Send(chain.Admins[0], GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "proposeSetPermissioned", true), gas: 60_000);

        Assert.Equal("out of gas", sent.ExecutionError);
        Assert.Equal(60_000UL, sent.GasUsed);
        Assert.Equal(0UL, chain.State.ProposalCount);
    }

    [Fact]
    public void ViewCalls_CostTheFixedCallGasPlusReads()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction sent = chain.Send(chain.Outsider, GovernanceAddresses.Committee, GovernanceChain.Encode(GovernanceChain.CommitteeAbi, "memberCount"));

        // Intrinsic: 21000 + 4 non-zero calldata bytes * 16; then the call (2000) and one slot read (200).
        Assert.True(sent.Receipt.Success);
        Assert.Equal(21_000UL + (4 * 16) + GovernanceGas.Call + GovernanceGas.Read, sent.GasUsed);
    }
}
