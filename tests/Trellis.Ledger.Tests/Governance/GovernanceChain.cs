using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Tests.Execution;
using Trellis.Ledger.Transactions;
using Trellis.Sdk.Abi;
using Trellis.State;

namespace Trellis.Ledger.Tests.Governance;

/// <summary>
/// A chain whose genesis has <c>n</c> member organisations (org1..orgN, weight 1, one admin account each, one
/// validator node each), driven by signed transactions through the block executor, with the governance ABI
/// loaded from contracts/abi (solc's output) to encode calls and decode results, reverts and events.
/// </summary>
internal sealed class GovernanceChain : IDisposable
{
    public static readonly ContractAbi CommitteeAbi = LoadAbi("ICommittee");
    public static readonly ContractAbi GovernanceAbi = LoadAbi("IGovernance");
    public static readonly ContractAbi RegistryAbi = LoadAbi("INodeRegistry");
    public static readonly ContractAbi PermissionsAbi = LoadAbi("IPermissions");
    public static readonly ContractAbi ContractAdminAbi = LoadAbi("IContractAdmin");
    public static readonly ContractAbi ChainConfigAbi = LoadAbi("IChainConfig");

    private readonly Dictionary<Address, ulong> _nonces = [];
    private readonly TxType _type;

    public GovernanceChain(int members = 3, string permissions = "", bool adminsInGenesis = true, string suiteName = "standard")
    {
        ICryptoSuite suite = CryptoSuites.Get(suiteName);
        _type = suiteName == "national" ? TxType.Native : TxType.DynamicFee;
        Admins = [.. Enumerable.Range(0, members).Select(i => new TestAccount(suite, 20 + i))];
        Nodes = [.. Enumerable.Range(0, members).Select(i => new TestAccount(suite, 40 + i))];
        Outsider = new TestAccount(suite, 99);
        var funded = Admins.Concat([Outsider, new TestAccount(suite, 1), new TestAccount(suite, 2), new TestAccount(suite, 3)]);
        string alloc = string.Join(",", funded.Select(a => $"\"{a.Address.ToLowerHex()}\": {{ \"balance\": \"{TestChain.InitialBalance}\" }}"));
        string memberJson = string.Join(",", Enumerable.Range(0, members).Select(i =>
            adminsInGenesis ? $"{{ \"name\": \"org{i + 1}\", \"admins\": [\"{Admins[i].Address.ToLowerHex()}\"] }}" : $"{{ \"name\": \"org{i + 1}\" }}"));
        string nodeJson = string.Join(",", Enumerable.Range(0, members).Select(i =>
            $"{{ \"name\": \"org{i + 1}-node1\", \"org\": \"org{i + 1}\", \"role\": \"validator\", \"publicKey\": \"{suite.DerivePublicKey(Nodes[i].Key).ToHex()}\", \"tlsCertificateFingerprint\": \"0x{new string((char)('a' + i), 64)}\" }}"));
        Config = ChainConfig.Parse($$"""
            {
              "chainId": {{TestChain.ChainId}},
              "cryptoSuite": "{{suiteName}}",
              "consensus": { "engine": "solo" },
              "blockGasLimit": 30000000,
              "alloc": { {{alloc}} },
              "members": [ {{memberJson}} ],
              "nodes": [ {{nodeJson}} ],
              "timestamp": {{TestChain.GenesisTimestamp}}{{(permissions.Length == 0 ? string.Empty : ",\n\"permissions\": " + permissions)}}
            }
            """);
        Chain = new TestChain(config: Config);
    }

    public ChainConfig Config { get; }

    public TestChain Chain { get; }

    public TestAccount[] Admins { get; }

    public TestAccount[] Nodes { get; }

    public TestAccount Outsider { get; }

    public ulong Height => Chain.Blocks.Head!.Height;

    public GovernanceState State => new(Chain.OpenState());

    public static ContractAbi AbiOf(in Address address) =>
        address == GovernanceAddresses.Committee ? CommitteeAbi
        : address == GovernanceAddresses.Governance ? GovernanceAbi
        : address == GovernanceAddresses.NodeRegistry ? RegistryAbi
        : address == GovernanceAddresses.Permissions ? PermissionsAbi
        : address == GovernanceAddresses.ContractAdmin ? ContractAdminAbi
        : ChainConfigAbi;

    public static byte[] Encode(ContractAbi abi, string function, params object?[] arguments) =>
        abi.GetFunction(function).EncodeCall(arguments);

    public VerifiedTransaction Sign(TestAccount from, Address? to, byte[] data, ulong gas = 5_000_000)
    {
        ulong nonce = _nonces.GetValueOrDefault(from.Address);
        _nonces[from.Address] = nonce + 1;
        return from.Call(nonce, to, data, gas, _type);
    }

    /// <summary>Puts the transactions in one block and commits it; returns the block's result.</summary>
    public BlockExecutionResult Append(params VerifiedTransaction[] transactions) => Chain.Append(transactions);

    /// <summary>Sends one transaction in its own block; it must be included (it may fail or revert).</summary>
    public ExecutedTransaction Send(TestAccount from, Address? to, byte[] data, ulong gas = 5_000_000)
    {
        BlockExecutionResult result = Append(Sign(from, to, data, gas));
        Assert.Empty(result.Skipped);
        return Assert.Single(result.Transactions);
    }

    public ExecutedTransaction Propose(int member, string function, params object?[] arguments) =>
        Send(Admins[member], GovernanceAddresses.Governance, Encode(GovernanceAbi, function, arguments));

    public ExecutedTransaction Vote(int member, ulong id, bool support = true) =>
        Send(Admins[member], GovernanceAddresses.Governance, Encode(GovernanceAbi, "vote", id, support));

    /// <summary>Proposes with member 0, then every other member votes yes; returns the proposal id.</summary>
    public ulong Pass(string function, params object?[] arguments)
    {
        ExecutedTransaction proposed = Propose(0, function, arguments);
        Assert.True(proposed.Receipt.Success, RevertMessage(proposed));
        ulong id = State.ProposalCount;
        for (int i = 1; i < Admins.Length && State.GetProposal(id, Height + 1)!.Status == ProposalStatus.Open; i++)
        {
            ExecutedTransaction vote = Vote(i, id);
            Assert.True(vote.Receipt.Success, RevertMessage(vote));
        }

        Assert.Equal(ProposalStatus.Executed, State.GetProposal(id, Height + 1)!.Status);
        return id;
    }

    /// <summary>Runs a call against the head state as eth_call would (block height head + 1).</summary>
    public (bool Success, byte[] Output) Call(Address to, byte[] data, Address? from = null, long gas = 1_000_000)
    {
        WorldState state = Chain.OpenState();
        state.BeginTransaction();
        Address caller = from ?? Outsider.Address;
        var block = new BlockContext(Address.Zero, Height + 1, TestChain.GenesisTimestamp + Height + 1, 30_000_000, UInt256.Zero, UInt256.Zero, UInt256.One, TestChain.ChainId);
        var vm = new VirtualMachine(state, block, new TransactionContext(caller, UInt256.Zero, []), GovernanceContracts.Instance);
        ExecutionResult result = vm.Call(caller, to, UInt256.Zero, data, gas);
        return (result.Success, result.Output);
    }

    /// <summary>Calls a view function and decodes its outputs with the ABI.</summary>
    public object?[] View(Address to, string function, params object?[] arguments)
    {
        AbiFunction abi = AbiOf(to).GetFunction(function);
        (bool success, byte[] output) = Call(to, abi.EncodeCall(arguments));
        Assert.True(success, RevertReason.Decode(output).ToString());
        return abi.DecodeOutput(output);
    }

    /// <summary>Every log of the transaction, decoded with the ABI of the contract that emitted it.</summary>
    public static List<DecodedEvent> Events(ExecutedTransaction transaction) =>
        [.. transaction.Receipt.Logs.Select(log =>
        {
            Assert.True(GovernanceAddresses.TryGetIndex(log.Address, out _), $"log from {log.Address}");
            AbiEvent abiEvent = AbiOf(log.Address).FindEvent(log.Topics[0]) ?? throw new InvalidOperationException($"no event with topic {log.Topics[0]} in the ABI of {log.Address}");
            return abiEvent.DecodeLog(log.Topics, log.Data.Span);
        })];

    public static string? RevertMessage(ExecutedTransaction transaction) =>
        transaction.Receipt.Success ? null : RevertReason.Decode(transaction.Output).Message ?? transaction.ExecutionError;

    /// <summary>Appends empty blocks until the head is at <paramref name="height"/>.</summary>
    public void AdvanceTo(ulong height)
    {
        while (Height < height)
        {
            Append();
        }
    }

    public void Dispose() => Chain.Dispose();

    private static ContractAbi LoadAbi(string name) =>
        ContractAbi.Parse(File.ReadAllText(Path.Combine(TestChain.RepositoryRoot(), "contracts", "abi", name + ".abi.json")));
}
